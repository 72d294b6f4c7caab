using CallQueue.Jobs.Queues;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CallQueue.Api.Sandbox;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Safety;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;

namespace CallQueue.Api.Diagnostics;

/// <summary>
/// A round trip through the queue on the check's own server (<see cref="CheckServer"/>). Sandbox mode: a call is queued
/// over the HTTP API (POST /api/calls/queue), a dial worker places it with the sandbox, the sandbox's signed callbacks
/// complete it. Live Plivo: nothing may be dialed, so a no-op job goes through the internal queue instead.
/// </summary>
internal static class QueueRoundTripCheck
{
    public const string Name = "queue round trip";

    /// <summary>
    /// The sandbox callees, scripted to answer at once and hang up, so the call completes in about a second: the first
    /// whose calling hours are open now is called (San Francisco, New York, London, Delhi, Tokyo, Sydney: with the
    /// default hours one of them always is), since the check must not wait for the morning.
    /// </summary>
    public static readonly IReadOnlyList<string> CheckNumbers =
        ["+14155550123", "+12125550123", "+442079460123", "+919123450123", "+81355500123", "+61255500123"];

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    public static async Task RunAsync(CheckContext context, CheckServer? server, string? blockedBy, CheckReport report, CancellationToken cancellationToken)
    {
        if (blockedBy is not null || server is null)
        {
            report.Add(CheckResult.Fail(Name, $"not run: {blockedBy ?? "the service could not be started (see above)"}", CheckFixes.FixAboveFirst));
            return;
        }

        if (server.IsSandbox)
        {
            await SandboxCallAsync(context, server, report, cancellationToken);
        }
        else
        {
            await NoOpJobAsync(context, server, report, cancellationToken);
        }
    }

    private static async Task SandboxCallAsync(CheckContext context, CheckServer server, CheckReport report, CancellationToken cancellationToken)
    {
        var safety = server.Services.GetRequiredService<CallSafety>();
        var now = server.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var checkNumber = CheckNumbers.FirstOrDefault(number => safety.Check(Probe(number), now) is null);
        if (checkNumber is null)
        {
            report.Add(CheckResult.Warn(
                Name,
                "not run: none of the check's sandbox numbers is inside its calling hours now (CALLING_HOURS, CALLING_DAYS, RESTRICTED_DATES)",
                "run the check again within the calling hours"));
            return;
        }

        server.Services.GetRequiredService<PlivoSandbox>()
            .SetNumberScript(checkNumber, new SandboxNumberScript(SandboxOutcome.Answered, RingSeconds: 0, TalkSeconds: 0));
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(15) };
        if (FirstApiKey(context.Setting("API_KEYS")) is { } apiKey)
        {
            http.DefaultRequestHeaders.Add("X-API-Key", apiKey);
        }

        var callId = "callqueue-check-" + Guid.NewGuid().ToString("N")[..12];
        var request = new JsonObject
        {
            ["phone_number"] = checkNumber,
            ["campaign_id"] = "callqueue-check",
            ["custom_call_id"] = callId,
            ["priority"] = "urgent",
            ["max_retries"] = 0,
            ["call_config"] = new JsonObject
            {
                ["flow_name"] = "callqueue-check",
                ["answer_url"] = server.BaseAddress + "callqueue-check/answer",
                ["ring_timeout"] = 10,
            },
        };
        var started = Stopwatch.GetTimestamp();
        using (var content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"))
        using (var response = await http.PostAsync(new Uri("/api/calls/queue", UriKind.Relative), content, cancellationToken))
        {
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                report.Add(CheckResult.Fail(
                    Name,
                    string.Create(CultureInfo.InvariantCulture, $"POST /api/calls/queue answered {(int)response.StatusCode}: {Shorten(body)}"),
                    "run the check with --verbose to see the service's log"));
                return;
            }
        }

        var deadline = started + (long)(context.RoundTripTimeout.TotalSeconds * Stopwatch.Frequency);
        (string Status, string? Reason) last = ("queued", null);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            last = await ReadStatusAsync(http, callId, cancellationToken) ?? last;
            if (Enum.TryParse<CallStatus>(last.Status.Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true, out var status)
                && status.IsTerminal())
            {
                var elapsed = Stopwatch.GetElapsedTime(started);
                report.Add(status == CallStatus.Completed
                    ? CheckResult.Pass(Name, string.Create(
                        CultureInfo.InvariantCulture,
                        $"call {callId} to {PhoneNumberMask.Mask(checkNumber)} queued over the API, dialed through the sandbox and completed by its callbacks in {elapsed.TotalSeconds:0.0} s"))
                    : CheckResult.Fail(Name, $"call {callId} ended '{last.Status}': {last.Reason}", "run the check with --verbose to see the service's log"));
                return;
            }

            await Task.Delay(PollInterval, cancellationToken);
        }

        report.Add(CheckResult.Fail(
            Name,
            string.Create(
                CultureInfo.InvariantCulture,
                $"call {callId} was not completed within {context.RoundTripTimeout.TotalSeconds:0} s (last status '{last.Status}': {last.Reason})"),
            "dial workers must be able to run: check MAX_CONCURRENT_CALLS, RATE_LIMIT_PER_SECOND and the agent server; run with --verbose for the service's log"));
    }

    private static CallRecord Probe(string number) => new()
    {
        CallId = "callqueue-check-probe",
        PhoneNumber = number,
        CampaignId = "callqueue-check",
        Config = new CallConfig { AnswerUrl = "https://callqueue-check.invalid/answer" },
    };

    private static async Task NoOpJobAsync(CheckContext context, CheckServer server, CheckReport report, CancellationToken cancellationToken)
    {
        var queue = HangfireQueues.Internal[0];
        var nonce = Guid.NewGuid().ToString("N");
        var jobs = server.Services.GetRequiredService<IBackgroundJobClient>();
        var started = Stopwatch.GetTimestamp();
        var jobId = jobs.Create(Job.FromExpression(() => DiagnosticsPing.Pong(nonce)), new EnqueuedState(queue));
        var storage = server.Services.GetRequiredService<JobStorage>();
        var deadline = started + (long)(context.RoundTripTimeout.TotalSeconds * Stopwatch.Frequency);
        string? state = null;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            using (var connection = storage.GetConnection())
            {
                var data = connection.GetStateData(jobId);
                state = data?.Name;
                if (state == SucceededState.StateName)
                {
                    var elapsed = Stopwatch.GetElapsedTime(started);
                    report.Add(CheckResult.Pass(Name, string.Create(
                        CultureInfo.InvariantCulture,
                        $"no-op job {jobId} went through queue '{queue}' to a Hangfire server and succeeded in {elapsed.TotalSeconds:0.0} s (live Plivo: no call was placed)")));
                    return;
                }

                if (state == FailedState.StateName)
                {
                    report.Add(CheckResult.Fail(Name, $"no-op job {jobId} failed: {data?.Reason}", "run the check with --verbose to see the service's log"));
                    return;
                }
            }

            await Task.Delay(PollInterval, cancellationToken);
        }

        report.Add(CheckResult.Fail(
            Name,
            string.Create(CultureInfo.InvariantCulture, $"no-op job {jobId} was not processed within {context.RoundTripTimeout.TotalSeconds:0} s (state {state ?? "unknown"})"),
            "run the check with --verbose to see the service's log"));
    }

    private static async Task<(string Status, string? Reason)?> ReadStatusAsync(HttpClient http, string callId, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(new Uri("/api/calls/" + callId, UriKind.Relative), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var root = document.RootElement;
            var status = root.TryGetProperty("status", out var value) ? value.GetString() : null;
            var reason = root.TryGetProperty("status_reason", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null;
            return status is null ? null : (status, reason);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    /// <summary>The first key of API_KEYS (comma, semicolon or space separated), for the check's own requests; never printed.</summary>
    internal static string? FirstApiKey(string? apiKeys) =>
        apiKeys?.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= 300 ? line : line[..300] + "…";
    }
}
