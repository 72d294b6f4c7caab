using CallQueue.Jobs.Queues;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Configuration;
using CallQueue.Jobs.Lifecycle;
using CallQueue.Jobs.Storage;
using Hangfire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallQueue.Jobs.Agent;

/// <summary>
/// Hands a placed call to the agent server (seed protocol, DESIGN.md §5): POST {AGENT_SERVER_URL}/start-call once Plivo
/// accepted the attempt. Tries a few times inside the job (1 s, then 2 s apart), records every try on the call
/// (<see cref="CallRecord.Agent"/>), and then fails so Hangfire's AutomaticRetry runs it again later. Does nothing
/// without AGENT_SERVER_URL, for an attempt the agent already took, or for an attempt that has ended meanwhile.
/// Runs on the internal queue, never behind dial jobs.
/// </summary>
public sealed class NotifyAgentJob(
    HttpClient http,
    ICallStore store,
    CallTransitions transitions,
    IOptions<AgentOptions> options,
    TimeProvider time,
    ILogger<NotifyAgentJob> logger)
{
    /// <summary>Longest wait for one /start-call answer.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Pauses between the job's own tries: three tries in all.</summary>
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];

    private const int MaxErrorBodyChars = 200;

    // Every field written, nulls included (CallJson leaves nulls out, which suits storage but not a protocol).
    private static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>Enqueues the hand-over of attempt <paramref name="attempt"/> of a call whose request_uuid is stored.</summary>
    public static string EnqueueFor(IBackgroundJobClient jobs, string callId, int attempt)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        return jobs.Enqueue<NotifyAgentJob>(HangfireQueues.InternalQueue, job => job.RunAsync(callId, attempt, CancellationToken.None));
    }

    [Queue(HangfireQueues.InternalQueue)]
    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(string callId, int attempt, CancellationToken cancellationToken)
    {
        var agent = options.Value;
        if (!agent.IsConfigured)
        {
            Log.AgentNotNotified(logger, callId, attempt, "AGENT_SERVER_URL is not set");
            return;
        }

        var call = await store.GetAsync(callId, cancellationToken);
        var dial = call?.Attempts.FirstOrDefault(a => a.Number == attempt);
        var skip = call is null ? "no such call"
            : dial is null ? "no such attempt"
            : call.Agent is { NotifiedAt: not null } done && done.DialAttempt >= attempt ? "already notified"
            : dial.Outcome is not null ? $"the attempt has ended ({dial.Outcome.Value.ToWire()})"
            : null;
        if (skip is not null)
        {
            Log.AgentNotNotified(logger, callId, attempt, skip);
            return;
        }

        // DialCallJob enqueues this only after storing the request_uuid; a missing one is a bug worth a retry, not a guess.
        var requestUuid = dial!.RequestUuid
            ?? throw new InvalidOperationException($"Call {callId}: attempt {attempt} has no request_uuid yet; the agent cannot be told which call to expect.");
        var payload = JsonSerializer.Serialize(Build(call!, requestUuid, attempt), PayloadJson);
        var url = new Uri(agent.ServerUrl!.TrimEnd('/') + "/start-call");
        var tries = Backoff.Length + 1;
        for (var @try = 1; ; @try++)
        {
            var (statusCode, error) = await PostAsync(url, payload, cancellationToken);
            await RecordAsync(callId, attempt, statusCode, error, cancellationToken);
            if (error is null)
            {
                Log.AgentNotified(logger, callId, attempt, @try);
                return;
            }

            Log.AgentTryFailed(logger, callId, attempt, @try, tries, error);
            if (@try == tries)
            {
                throw new AgentNotificationException(
                    string.Create(CultureInfo.InvariantCulture, $"Agent server did not take attempt {attempt} after {tries} tries: {error}"));
            }

            await Task.Delay(Backoff[@try - 1], time, cancellationToken);
        }
    }

    private static StartCallRequest Build(CallRecord call, string requestUuid, int attempt) => new(
        call.CallId,
        requestUuid,
        call.PhoneNumber,
        call.CampaignId,
        call.Config.FlowName,
        call.Config.Variables ?? EmptyObject,
        JsonSerializer.SerializeToElement(call.Config, CallJson.Options),
        attempt);

    /// <summary>One POST; returns the answer's status code and, unless it was a 2xx, what went wrong.</summary>
    private async Task<(int? StatusCode, string? Error)> PostAsync(Uri url, string payload, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new StringContent(payload, Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(url, content, cancellationToken);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return (status, null);
            }

            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var excerpt = body.Length > MaxErrorBodyChars ? body[..MaxErrorBodyChars] + "…" : body;
            var error = string.Create(CultureInfo.InvariantCulture, $"Agent server answered {status} {ReasonPhrase(response)}");
            return (status, string.IsNullOrWhiteSpace(excerpt) ? error : $"{error}: {excerpt.Trim()}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, string.Create(CultureInfo.InvariantCulture, $"Agent server did not answer within {RequestTimeout.TotalSeconds} s"));
        }
        catch (HttpRequestException ex)
        {
            return (null, $"Agent server unreachable: {ex.Message}");
        }
    }

    private static string ReasonPhrase(HttpResponseMessage response) => response.ReasonPhrase ?? response.StatusCode.ToString();

    /// <summary>Counts the try on the call; a later attempt's hand-over is never overwritten by an earlier one's.</summary>
    private async Task<CallRecord?> RecordAsync(string callId, int attempt, int? statusCode, string? error, CancellationToken cancellationToken) =>
        (await transitions.ApplyAsync(callId, new AgentHandoffTried(attempt, statusCode, error), cancellationToken)).Call;
}
