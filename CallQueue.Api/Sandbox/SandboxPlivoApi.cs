using System.Text;
using System.Text.Json;

namespace CallQueue.Api.Sandbox;

/// <summary>
/// The Plivo REST endpoints the sandbox speaks, under <c>/sandbox/plivo/v1/Account/{authId}</c>: make call, account,
/// live/queued calls, CDR, hang up, cancel request. Every one checks Basic auth like Plivo.
/// </summary>
internal static class SandboxPlivoApi
{
    public static void Map(RouteGroupBuilder account)
    {
        account.MapGet("/", GetAccount);
        account.MapPost("/Call/", MakeCallAsync);
        account.MapGet("/Call/", ListCalls);
        account.MapGet("/Call/{uuid}/", GetCall);
        account.MapDelete("/Call/{uuid}/", HangupCall);
        account.MapDelete("/Request/{uuid}/", CancelRequest);
    }

    private static async Task<IResult> MakeCallAsync(HttpContext context, string authId)
    {
        var sandbox = Sandbox(context);
        var generation = sandbox.Generation;
        var receivedAt = sandbox.TimeProvider.GetUtcNow();
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: -1, leaveOpen: true);
        var rawBody = await reader.ReadToEndAsync(context.RequestAborted);
        var root = ParseJson(rawBody);
        var fault = sandbox.TakeFault();

        IResult Answer(int? status, IResult result, string? requestUuid = null)
        {
            sandbox.RecordRequest(new SandboxRequestLogEntry
            {
                ReceivedAt = receivedAt,
                AuthUser = SandboxBasicAuth.Read(context.Request).User,
                Fields = ToFields(root),
                RawBody = rawBody,
                ResponseStatus = status,
                RequestUuid = requestUuid,
                Fault = fault,
            });
            return result;
        }

        IResult Refuse(int status, string error)
        {
            sandbox.Logger.RequestRefused(status, error);
            return Answer(status, SandboxJson.Error(status, error));
        }

        var delay = sandbox.Options.ResponseDelayMs + (fault?.DelayMilliseconds ?? 0);
        if (fault is not null)
        {
            sandbox.Logger.FaultInjected(fault.StatusCode, fault.DelayMilliseconds, fault.Abort);
        }

        var placeFirst = fault is { PlaceFirst: true, StatusCode: null, Abort: false };
        if (delay > 0 && !placeFirst)
        {
            // Not tied to the client: a request whose caller gave up is still carried out, as at Plivo.
            await Task.Delay(TimeSpan.FromMilliseconds(delay), sandbox.TimeProvider, sandbox.StoppingToken);
        }

        if (sandbox.Generation != generation)
        {
            // The sandbox was reset while this request waited: neither log it nor place the call.
            return SandboxJson.Error(StatusCodes.Status503ServiceUnavailable, "the sandbox was reset during this request");
        }

        if (fault is { Abort: true })
        {
            Answer(null, Results.Empty);
            context.Abort();
            return Results.Empty;
        }

        if (fault?.StatusCode is int faultStatus)
        {
            return Answer(faultStatus, SandboxJson.Error(faultStatus, fault.Error ?? DefaultFaultText(faultStatus)));
        }

        if (!SandboxBasicAuth.IsAuthorized(context.Request, authId, sandbox))
        {
            return Refuse(StatusCodes.Status401Unauthorized, "authentication failed");
        }

        if (root is not { ValueKind: JsonValueKind.Object } body)
        {
            return Refuse(StatusCodes.Status400BadRequest, "the request body must be a JSON object");
        }

        if (!SandboxCallRequest.TryParse(body, out var request, out var error))
        {
            return Refuse(StatusCodes.Status400BadRequest, error);
        }

        var call = sandbox.Accept(request);
        if (placeFirst && delay > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(delay), sandbox.TimeProvider, sandbox.StoppingToken);
        }

        var accepted = new Dictionary<string, object?>
        {
            ["message"] = "call fired",
            ["request_uuid"] = call.RequestUuid,
            ["api_id"] = SandboxJson.NewId(),
        };
        return Answer(StatusCodes.Status201Created, SandboxJson.Write(accepted, StatusCodes.Status201Created), call.RequestUuid);
    }

    private static IResult GetAccount(HttpContext context, string authId)
    {
        var sandbox = Sandbox(context);
        return Unauthorized(context, authId, sandbox) ?? SandboxJson.Write(new Dictionary<string, object?>
        {
            ["account_type"] = "standard",
            ["api_id"] = SandboxJson.NewId(),
            ["auth_id"] = sandbox.AuthId,
            ["auto_recharge"] = false,
            ["billing_mode"] = "prepaid",
            ["cash_credits"] = "100.00000",
            ["name"] = "CallQueue Plivo sandbox",
            ["resource_uri"] = $"/v1/Account/{sandbox.AuthId}/",
            ["timezone"] = "Etc/UTC",
        });
    }

    private static IResult ListCalls(HttpContext context, string authId)
    {
        var sandbox = Sandbox(context);
        if (Unauthorized(context, authId, sandbox) is { } refused)
        {
            return refused;
        }

        var query = context.Request.Query;
        var limit = Math.Clamp(ReadInt(query["limit"], 20), 1, 20);
        var offset = Math.Max(ReadInt(query["offset"], 0), 0);
        var to = query["to_number"].ToString();
        var from = query["from_number"].ToString();
        var calls = sandbox.AllCalls
            .Select(call => call.Snapshot())
            .Where(call => Matches(call.To, to) && Matches(call.From, from))
            .OrderBy(call => call.InitiatedAt)
            .ToList();
        var status = query["status"].ToString();
        if (status is "live" or "queued")
        {
            var uuids = calls
                .Where(call => status == "queued" ? call.CallStatus == "queued" : call.CallStatus is "ringing" or "in-progress")
                .Skip(offset)
                .Take(limit)
                .Select(call => call.CallUuid);
            return SandboxJson.Write(new Dictionary<string, object?> { ["api_id"] = SandboxJson.NewId(), ["calls"] = uuids.ToList() });
        }

        if (status.Length > 0)
        {
            return SandboxJson.Error(StatusCodes.Status400BadRequest, "status must be live or queued");
        }

        var ended = calls.Where(call => call.EndAt is not null).ToList();
        return SandboxJson.Write(new Dictionary<string, object?>
        {
            ["api_id"] = SandboxJson.NewId(),
            ["meta"] = new Dictionary<string, object?>
            {
                ["limit"] = limit,
                ["offset"] = offset,
                ["total_count"] = ended.Count,
                ["next"] = null,
                ["previous"] = null,
            },
            ["objects"] = ended.Skip(offset).Take(limit).Select(call => SandboxPlivoResources.CallDetailRecord(sandbox.AuthId, call)).ToList(),
        });
    }

    private static IResult GetCall(HttpContext context, string authId, string uuid)
    {
        var sandbox = Sandbox(context);
        if (Unauthorized(context, authId, sandbox) is { } refused)
        {
            return refused;
        }

        var status = context.Request.Query["status"].ToString();
        sandbox.TryGetCall(uuid, out var call);
        var snapshot = call?.Snapshot();
        return status switch
        {
            "live" when snapshot?.CallStatus is "ringing" or "in-progress" => SandboxJson.Write(SandboxPlivoResources.LiveCall(call!)),
            "queued" when snapshot?.CallStatus == "queued" => SandboxJson.Write(SandboxPlivoResources.QueuedCall(call!)),
            "live" or "queued" => SandboxJson.Error(StatusCodes.Status404NotFound, "call not found"),
            "" when snapshot?.EndAt is not null => SandboxJson.Write(SandboxPlivoResources.CallDetailRecord(sandbox.AuthId, snapshot)),
            "" => SandboxJson.Write(new Dictionary<string, object?>(), StatusCodes.Status404NotFound),
            _ => SandboxJson.Error(StatusCodes.Status400BadRequest, "status must be live or queued"),
        };
    }

    private static IResult HangupCall(HttpContext context, string authId, string uuid)
    {
        var sandbox = Sandbox(context);
        return Unauthorized(context, authId, sandbox)
            ?? (sandbox.HangupCall(uuid) ? Results.NoContent() : SandboxJson.Error(StatusCodes.Status404NotFound, "call not found"));
    }

    private static IResult CancelRequest(HttpContext context, string authId, string uuid)
    {
        var sandbox = Sandbox(context);
        return Unauthorized(context, authId, sandbox)
            ?? (sandbox.CancelRequest(uuid) ? Results.NoContent() : SandboxJson.Error(StatusCodes.Status404NotFound, "request not found"));
    }

    private static PlivoSandbox Sandbox(HttpContext context) => context.RequestServices.GetRequiredService<PlivoSandbox>();

    private static IResult? Unauthorized(HttpContext context, string authId, PlivoSandbox sandbox) =>
        SandboxBasicAuth.IsAuthorized(context.Request, authId, sandbox)
            ? null
            : SandboxJson.Error(StatusCodes.Status401Unauthorized, "authentication failed");

    private static JsonElement? ParseJson(string rawBody)
    {
        try
        {
            using var document = JsonDocument.Parse(rawBody);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Dictionary<string, string> ToFields(JsonElement? root)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root is { ValueKind: JsonValueKind.Object } body)
        {
            foreach (var property in body.EnumerateObject())
            {
                fields[property.Name] = property.Value.ValueKind == JsonValueKind.String
                    ? property.Value.GetString() ?? string.Empty
                    : property.Value.GetRawText();
            }
        }

        return fields;
    }

    private static bool Matches(string number, string filter) =>
        filter.Length == 0 || SandboxNumber.Normalize(number) == SandboxNumber.Normalize(filter);

    private static int ReadInt(string? value, int fallback) =>
        int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : fallback;

    private static string DefaultFaultText(int status) => status switch
    {
        StatusCodes.Status429TooManyRequests => "too many requests",
        >= 500 => "server error (sandbox fault injection)",
        _ => "request refused (sandbox fault injection)",
    };
}
