using System.Text.Json;
using CallQueue.Api.Errors;
using CallQueue.Jobs.Lifecycle;

namespace CallQueue.Api.AgentResults;

/// <summary>
/// POST /api/calls/results: the agent server's end-of-call result (seed protocol). Stored on the call as
/// <c>result</c>, whole; posting again replaces it. 200 with the stored result, 404 for an unknown call.
/// </summary>
public static partial class CallResultsApi
{
    /// <summary>Largest result body: transcripts can be long.</summary>
    public const long BodyLimit = 1024 * 1024;

    public static IEndpointRouteBuilder MapCallResultsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/calls/results", PostAsync).WithTags("Calls").WithName("PostCallResult");
        return app;
    }

    private static async Task<IResult> PostAsync(HttpContext http, CallTransitions transitions, TimeProvider time, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        // A JsonDocument, not a JsonObject: it takes any valid JSON, duplicate keys included, where JsonObject would throw.
        var (document, problem) = await RequestBody.ReadAsync<JsonDocument>(http, BodyLimit);
        if (problem is not null)
        {
            return problem;
        }

        using var body = document!;
        if (!AgentResultReader.TryRead(body.RootElement, time.GetUtcNow(), out var callId, out var result, out var errors))
        {
            return TypedResults.ValidationProblem(errors, title: "The call result is not valid");
        }

        var call = (await transitions.ApplyAsync(callId, new AgentResultPosted(result), cancellationToken)).Call;
        if (call is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Call not found", detail: $"No call with call_id '{callId}'.");
        }

        LogResultStored(logs.CreateLogger(typeof(CallResultsApi)), callId, result.CallOutcome ?? "none");
        return TypedResults.Ok(call.Result);
    }

    [LoggerMessage(8001, LogLevel.Information, "Call {CallId}: agent result stored (outcome {CallOutcome})")]
    private static partial void LogResultStored(ILogger logger, string callId, string callOutcome);
}
