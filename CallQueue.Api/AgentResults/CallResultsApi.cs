using System.Text.Json;
using CallQueue.Api.Errors;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Lifecycle;
using CallQueue.Jobs.Safety;

namespace CallQueue.Api.AgentResults;

/// <summary>
/// POST /api/calls/results: the agent server's end-of-call result (seed protocol). Stored on the call as
/// <c>result</c>, whole; posting again replaces it. 200 with the stored result, 404 for an unknown call. A result that
/// reports an opt-out (<see cref="AgentResultReader.IsOptOut"/>) puts the call's number on the do-not-call list for every
/// campaign, source <c>agent</c>, once the result is stored and before the answer (a failure there answers 503, and the
/// agent's retry lists it).
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

    private static async Task<IResult> PostAsync(
        HttpContext http, CallTransitions transitions, IDoNotCallList doNotCall, TimeProvider time, ILoggerFactory logs, CancellationToken cancellationToken)
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

        var logger = logs.CreateLogger(typeof(CallResultsApi));
        LogResultStored(logger, callId, result.CallOutcome ?? "none");
        if (AgentResultReader.IsOptOut(result))
        {
            var entry = new DoNotCallEntry(null, $"opt-out reported by the agent on call {call.CallId}", DoNotCallSource.Agent, result.ReceivedAt);
            var added = (await doNotCall.AddAsync([call.PhoneNumber], entry, cancellationToken))[0];
            LogOptOut(logger, callId, PhoneNumberMask.Mask(call.PhoneNumber), added ? "now" : "already");
        }

        return TypedResults.Ok(call.Result);
    }

    [LoggerMessage(8001, LogLevel.Information, "Call {CallId}: agent result stored (outcome {CallOutcome})")]
    private static partial void LogResultStored(ILogger logger, string callId, string callOutcome);

    [LoggerMessage(8002, LogLevel.Information, "Call {CallId}: the agent reported an opt-out; {PhoneNumber} is {Listed} on the do-not-call list for every campaign")]
    private static partial void LogOptOut(ILogger logger, string callId, string phoneNumber, string listed);
}
