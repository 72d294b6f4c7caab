using System.Text.Json;

namespace CallQueue.Api.Sandbox;

/// <summary>
/// HTTP control of the sandbox under <c>/sandbox/control</c>, for tests and tools in other processes:
/// <list type="bullet">
/// <item>GET requests | callbacks | calls | calls/{uuid}: what was received, sent and played.</item>
/// <item>PUT numbers/{number} <c>{"outcome":"busy","ring_seconds":0,"talk_seconds":1}</c>; DELETE numbers/{number}.</item>
/// <item>POST faults?count=N <c>{"status_code":503,"delay_milliseconds":0,"abort":false,"error":"…"}</c>.</item>
/// <item>POST reset.</item>
/// </list>
/// </summary>
internal static class SandboxControlApi
{
    private const int MaxFaultCount = 10_000;

    public static void Map(RouteGroupBuilder control)
    {
        control.MapGet("/requests", (HttpContext context) => SandboxJson.Write(Sandbox(context).GetRequests()));
        control.MapGet("/callbacks", (HttpContext context) => SandboxJson.Write(Sandbox(context).GetCallbacks()));
        control.MapGet("/calls", (HttpContext context) => SandboxJson.Write(Sandbox(context).GetCalls()));
        control.MapGet("/calls/{uuid}", (HttpContext context, string uuid) =>
            Sandbox(context).FindCall(uuid) is { } call ? SandboxJson.Write(call) : NotFound("no such call"));
        control.MapPut("/numbers/{number}", SetNumberScriptAsync);
        control.MapDelete("/numbers/{number}", (HttpContext context, string number) =>
            Sandbox(context).ClearNumberScript(number) ? Results.NoContent() : NotFound("no script for that number"));
        control.MapPost("/faults", (Delegate)EnqueueFaultAsync);
        control.MapPost("/reset", (HttpContext context) =>
        {
            Sandbox(context).Reset();
            return Results.NoContent();
        });
    }

    private static async Task<IResult> SetNumberScriptAsync(HttpContext context, string number)
    {
        var (script, error) = await ReadAsync<SandboxNumberScript>(context);
        if (script is null)
        {
            return BadRequest(error);
        }

        if (script.RingSeconds < 0 || script.TalkSeconds < 0)
        {
            return BadRequest("ring_seconds and talk_seconds must not be negative");
        }

        Sandbox(context).SetNumberScript(number, script);
        return Results.NoContent();
    }

    private static async Task<IResult> EnqueueFaultAsync(HttpContext context)
    {
        var (fault, error) = await ReadAsync<SandboxFault>(context);
        if (fault is null)
        {
            return BadRequest(error);
        }

        var countText = context.Request.Query["count"].ToString();
        var count = 1;
        if (countText.Length > 0 && (!int.TryParse(countText, out count) || count is < 1 or > MaxFaultCount))
        {
            return BadRequest($"count must be from 1 to {MaxFaultCount}");
        }

        if (fault.StatusCode is < 100 or > 599 || fault.DelayMilliseconds is < 0 or > 600_000)
        {
            return BadRequest("status_code must be 100-599 and delay_milliseconds 0-600000");
        }

        Sandbox(context).EnqueueFault(fault, count);
        return Results.NoContent();
    }

    private static async Task<(T? Value, string Error)> ReadAsync<T>(HttpContext context)
        where T : class
    {
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(context.Request.Body, SandboxJson.Options, context.RequestAborted);
            return (value, "the body must be a JSON object");
        }
        catch (JsonException ex)
        {
            return (null, "invalid JSON: " + ex.Message);
        }
    }

    private static PlivoSandbox Sandbox(HttpContext context) => context.RequestServices.GetRequiredService<PlivoSandbox>();

    private static IResult BadRequest(string error) =>
        SandboxJson.Write(new Dictionary<string, object?> { ["error"] = error }, StatusCodes.Status400BadRequest);

    private static IResult NotFound(string error) =>
        SandboxJson.Write(new Dictionary<string, object?> { ["error"] = error }, StatusCodes.Status404NotFound);
}
