using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Lifecycle;

namespace CallQueue.Tests.Lifecycle;

/// <summary>Calls, attempts and a state machine for the pure lifecycle tests: fixed clock, RETRY_DELAY_SECONDS 300, PROVIDER_RETRY_DELAY_SECONDS 30.</summary>
internal static class LifecycleSamples
{
    public static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    public static readonly CallLifecycle Machine = new(new RetryPolicy(TimeSpan.FromSeconds(300), TimeSpan.FromSeconds(30)));

    /// <summary>A call with max_retries 2 (a budget of 3 attempts) in <paramref name="status"/>.</summary>
    public static CallRecord Call(CallStatus status, params CallAttempt[] attempts) => new()
    {
        CallId = "call_1",
        PhoneNumber = "+919876543210",
        CampaignId = "campaign-1",
        Config = new CallConfig { AnswerUrl = "https://agent.example.com/answer" },
        MaxRetries = 2,
        Status = status,
        StatusReason = "before",
        JobId = "job-1",
        Attempts = attempts,
    };

    /// <summary>Attempt <paramref name="number"/> claimed under token "t{number}" and not sent yet.</summary>
    public static CallAttempt Claimed(int number) =>
        new() { Number = number, StartedAt = Now.AddMinutes(-1), JobId = "job-1", ClaimToken = "t" + number };

    /// <summary>Attempt <paramref name="number"/> accepted by Plivo (request_uuid "req-{number}"), no outcome yet.</summary>
    public static CallAttempt Placed(int number) =>
        Claimed(number) with { SentAt = Now.AddMinutes(-1), RequestUuid = "req-" + number, AcceptedAt = Now.AddMinutes(-1) };

    /// <summary>Attempt <paramref name="number"/> over with <paramref name="outcome"/> (from a hangup callback).</summary>
    public static CallAttempt Ended(int number, CallOutcome outcome) =>
        Placed(number) with { Outcome = outcome, EndedAt = Now.AddMinutes(-1), ResultSource = "hangup callback" };

    public static Transition Apply(CallRecord call, CallEvent callEvent) => Machine.Apply(call, callEvent, Now);

    /// <summary>A busy hangup of attempt <paramref name="number"/>, for the request "req-{number}".</summary>
    public static AttemptResult Busy(int number) => new()
    {
        RequestUuid = "req-" + number, CallUuid = "call-uuid-" + number, CallStatus = "busy", HangupCause = "USER_BUSY", HangupCauseCode = 3010, HangupCauseName = "Busy Line",
    };

    /// <summary>An answered hangup of attempt <paramref name="number"/> after <paramref name="seconds"/> s.</summary>
    public static AttemptResult Answered(int number, int seconds) => new()
    {
        RequestUuid = "req-" + number,
        CallUuid = "call-uuid-" + number,
        CallStatus = "completed",
        HangupCause = "NORMAL_CLEARING",
        HangupCauseCode = 4000,
        HangupCauseName = "Normal Hangup",
        AnswerTime = Now.AddSeconds(-seconds),
        EndTime = Now,
        Duration = seconds,
        BillDuration = seconds,
    };
}
