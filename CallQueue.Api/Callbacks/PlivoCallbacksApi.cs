using System.Diagnostics;
using System.Globalization;
using CallQueue.Jobs.Configuration;
using CallQueue.Jobs.Dialing;
using CallQueue.Jobs.Lifecycle;
using CallQueue.Jobs.Operations;
using CallQueue.Jobs.Plivo;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace CallQueue.Api.Callbacks;

/// <summary>
/// Plivo's ring, hangup and machine-detection callbacks (DESIGN.md §5, §8). Every request must carry a valid V3 signature
/// over the URL Plivo was given (PUBLIC_BASE_URL + path + query) and its form fields; anything else is refused with 403
/// and changes nothing. Duplicates are harmless: an attempt is settled once.
/// </summary>
public static partial class PlivoCallbacksApi
{
    public const string SignatureHeader = "X-Plivo-Signature-V3";
    public const string MainAccountSignatureHeader = "X-Plivo-Signature-Ma-V3";
    public const string NonceHeader = "X-Plivo-Signature-V3-Nonce";

    // Plivo's callbacks carry a few dozen short fields (about 2 KB); these limits leave room for SIP headers and X-PH-*
    // variables while keeping an unauthenticated parse small.
    private const long BodyLimit = 64 * 1024;
    private const int MaxFields = 200;
    private const int MaxKeyLength = 256;
    private const int MaxValueLength = 16 * 1024;

    private static readonly FormOptions FormLimits = new()
    {
        BufferBody = false,
        ValueCountLimit = MaxFields,
        KeyLengthLimit = MaxKeyLength,
        ValueLengthLimit = MaxValueLength,
        MultipartBodyLengthLimit = BodyLimit,
    };

    public static IEndpointRouteBuilder MapPlivoCallbacks(this IEndpointRouteBuilder app)
    {
        // Open: Plivo signs its callbacks instead (V3 signature), so they are mapped outside the API-key group.
        var plivo = app.MapGroup(string.Empty).WithTags("Plivo callbacks").DisableAntiforgery().AllowAnonymous();
        plivo.MapPost(CallbackUrls.RingPath, RingAsync).WithName("PlivoRing");
        plivo.MapPost(CallbackUrls.HangupPath, HangupAsync).WithName("PlivoHangup");
        plivo.MapPost(CallbackUrls.MachinePath, MachineAsync).WithName("PlivoMachineDetection");
        return app;
    }

    private static Task<IResult> RingAsync(HttpContext http, AttemptSettler settler, IOptions<PlivoOptions> plivo, ILoggerFactory logs) =>
        HandleAsync(http, plivo.Value, logs, (callback, ct) =>
            settler.MarkRingingAsync(callback.CallId, callback.Attempt, callback.PlivoCall, ct));

    private static Task<IResult> HangupAsync(HttpContext http, AttemptSettler settler, IOptions<PlivoOptions> plivo, ILoggerFactory logs) =>
        HandleAsync(http, plivo.Value, logs, (callback, ct) =>
            settler.SettleAsync(callback.CallId, callback.Attempt, ToResult(callback), ct));

    private static Task<IResult> MachineAsync(HttpContext http, AttemptSettler settler, IOptions<PlivoOptions> plivo, ILoggerFactory logs) =>
        HandleAsync(http, plivo.Value, logs, (callback, ct) =>
            settler.MarkMachineAsync(callback.CallId, callback.Attempt, callback.PlivoCall, string.Equals(callback.Field("Machine"), "true", StringComparison.OrdinalIgnoreCase), ct));

    private static async Task<IResult> HandleAsync(
        HttpContext http, PlivoOptions plivo, ILoggerFactory logs, Func<PlivoCallback, CancellationToken, Task<Jobs.Calls.CallRecord?>> apply)
    {
        var logger = logs.CreateLogger(typeof(PlivoCallbacksApi));
        var started = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();

        // Anyone can reach these endpoints: the cheap refusals (no signature at all, not a small form) come before the
        // body is read, and the form is read with tight limits, so no request costs more than a small parse.
        if (!CarriesSignature(http, plivo))
        {
            LogForged(logger, http.Request.Path, http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            return Forbidden();
        }

        var (fields, refusal) = await ReadFieldsAsync(http);
        if (refusal is not null)
        {
            return refusal;
        }

        if (!IsSigned(http, plivo, fields!))
        {
            LogForged(logger, http.Request.Path, http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            return Forbidden();
        }

        var query = http.Request.Query;
        if (string.IsNullOrEmpty(query["call_id"]) || !int.TryParse(query["attempt"], NumberStyles.None, CultureInfo.InvariantCulture, out var attempt) || attempt < 1)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "call_id and attempt are required in the callback URL");
        }

        var callback = new PlivoCallback(query["call_id"].ToString(), attempt, fields!.ToDictionary(field => field.Key, field => field.Value, StringComparer.Ordinal));
        var call = await apply(callback, http.RequestAborted);
        if (call is null)
        {
            // Answered 200 all the same: a 4xx would only make Plivo send it again.
            LogUnknownCall(logger, callback.CallId, http.Request.Path);
        }
        else
        {
            TraceIntoCall(http, call, callback, started);
        }

        return TypedResults.Ok();
    }

    /// <summary>
    /// Plivo's form fields (<c>application/x-www-form-urlencoded</c>, the only encoding it posts), or the 4xx for a body
    /// that is too large, of another type, or cannot be parsed within the limits. No body at all means no fields.
    /// </summary>
    private static async Task<(List<KeyValuePair<string, string>>? Fields, IResult? Refusal)> ReadFieldsAsync(HttpContext http)
    {
        var request = http.Request;
        if (request.ContentLength is 0 || (request.ContentLength is null && request.ContentType is null))
        {
            return ([], null);
        }

        if (!IsUrlEncodedForm(request.ContentType))
        {
            return (null, TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type",
                detail: "Plivo callbacks are posted as application/x-www-form-urlencoded."));
        }

        if (request.ContentLength > BodyLimit)
        {
            return (null, TooLarge());
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = BodyLimit;
        }

        try
        {
            var form = await request.ReadFormAsync(FormLimits, http.RequestAborted);
            return (form.Select(field => KeyValuePair.Create(field.Key, field.Value.ToString())).ToList(), null);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge());
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException)
        {
            // Too many fields, a key or value over the limits, bad percent-encoding or a NUL: nothing Plivo sends.
            return (null, TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Malformed callback form",
                detail: $"The form could not be read within the limits ({MaxFields} fields, keys up to {MaxKeyLength} and values up to {MaxValueLength} characters, no control characters in keys)."));
        }
    }

    private static bool IsUrlEncodedForm(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && string.Equals(media.MediaType.Value, "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    /// <summary>A nonce and a signature header are there to check (and the account is set up to check them).</summary>
    private static bool CarriesSignature(HttpContext http, PlivoOptions plivo) =>
        !string.IsNullOrEmpty(plivo.AuthToken)
        && !string.IsNullOrEmpty(plivo.PublicBaseUrl)
        && !string.IsNullOrEmpty(http.Request.Headers[NonceHeader])
        && (!string.IsNullOrEmpty(http.Request.Headers[SignatureHeader]) || !string.IsNullOrEmpty(http.Request.Headers[MainAccountSignatureHeader]));

    private static ProblemHttpResult TooLarge() => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Request body too large",
        detail: FormattableString.Invariant($"A Plivo callback body may be at most {BodyLimit / 1024} KB."));

    /// <summary>
    /// Plivo does not pass trace context, so the callback is recorded (after the fact, from when it came) as a span of
    /// the trace that queued the call (<see cref="Jobs.Calls.CallRecord.TraceParent"/>), linked to this request's own.
    /// </summary>
    private static void TraceIntoCall(HttpContext http, Jobs.Calls.CallRecord call, PlivoCallback callback, DateTimeOffset started)
    {
        var parent = CallQueueTracing.Parent(call.TraceParent);
        if (parent == default || !CallQueueTracing.Source.HasListeners())
        {
            return;
        }

        ActivityLink[] links = Activity.Current is { } request ? [new ActivityLink(request.Context)] : [];
        using var span = CallQueueTracing.Source.StartActivity(
            $"Plivo callback {http.Request.Path.Value?.Split('/')[^1]}", ActivityKind.Server, parent, tags: null, links, started);
        span?.SetTag("callqueue.call_id", callback.CallId);
        span?.SetTag("callqueue.attempt", callback.Attempt);
    }

    /// <summary>The V3 signature (or the main-account one) over the URL we gave Plivo, never the one a proxy shows us.</summary>
    private static bool IsSigned(HttpContext http, PlivoOptions plivo, IReadOnlyList<KeyValuePair<string, string>> fields)
    {
        var nonce = http.Request.Headers[NonceHeader].ToString();
        if (string.IsNullOrEmpty(nonce) || string.IsNullOrEmpty(plivo.AuthToken) || string.IsNullOrEmpty(plivo.PublicBaseUrl))
        {
            return false;
        }

        var url = plivo.PublicBaseUrl.TrimEnd('/') + http.Request.Path.ToUriComponent() + http.Request.QueryString.ToUriComponent();
        return PlivoSignatureV3.IsValid(HttpMethods.Post, url, fields, nonce, http.Request.Headers[SignatureHeader].ToString(), plivo.AuthToken)
            || PlivoSignatureV3.IsValid(HttpMethods.Post, url, fields, nonce, http.Request.Headers[MainAccountSignatureHeader].ToString(), plivo.AuthToken);
    }

    private static AttemptResult ToResult(PlivoCallback callback) => new()
    {
        RequestUuid = callback.PlivoCall.RequestUuid,
        CallUuid = callback.PlivoCall.CallUuid,
        CallStatus = callback.Field("CallStatus"),
        HangupCause = callback.Field("HangupCause"),
        HangupCauseCode = callback.Int("HangupCauseCode"),
        HangupCauseName = callback.Field("HangupCauseName"),
        HangupSource = callback.Field("HangupSource"),
        AnswerTime = PlivoTimestamp.ParseOrNull(callback.Field("AnswerTime")),
        EndTime = PlivoTimestamp.ParseOrNull(callback.Field("EndTime")),
        Duration = callback.Int("Duration"),
        BillDuration = callback.Int("BillDuration"),
        Source = "hangup callback",
    };

    private static ProblemHttpResult Forbidden() => TypedResults.Problem(
        statusCode: StatusCodes.Status403Forbidden,
        title: "Invalid Plivo signature",
        detail: "Callbacks must carry a valid X-Plivo-Signature-V3 for the URL Plivo was given.");

    [LoggerMessage(6001, LogLevel.Warning, "Refused a Plivo callback to {Path} from {RemoteIp}: missing or invalid V3 signature")]
    private static partial void LogForged(ILogger logger, string path, string remoteIp);

    [LoggerMessage(6002, LogLevel.Warning, "Plivo callback to {Path} for unknown call {CallId}")]
    private static partial void LogUnknownCall(ILogger logger, string callId, string path);
}
