using System.Globalization;
using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Operators;

/// <summary>
/// The rules of an operator's requeue ("dial this call again", DESIGN.md §2–3), shared by the dashboard's Requeue
/// (<see cref="OperatorRequeueFilter"/>) and POST /api/calls/{call_id}/requeue. Only a call that ended without being
/// answered — failed, unknown or cancelled — is dialed again, with a fresh attempt budget (its attempts so far stay in
/// its history, <see cref="CallRecord.AttemptOffset"/> moves past them) and a note saying who requeued it.
/// </summary>
public static class CallRequeue
{
    /// <summary>The call's status_reason right after a requeue.</summary>
    public const string StatusReason = "Requeued by operator";

    /// <summary>The reason Hangfire's dashboard gives every state change it triggers (Hangfire's DashboardRoutes).</summary>
    public const string DashboardStateReason = "Triggered via Dashboard UI";

    /// <summary>The reason of the Enqueued state asked for by POST /api/calls/{call_id}/requeue.</summary>
    public const string ApiStateReason = "Requeued by operator via the API";

    public const string CompletedRefusal = "Call already completed: not dialed again";

    private const int MaxNotes = 50;

    /// <summary>Null when <paramref name="call"/> may be requeued, else why not, in an operator's words.</summary>
    public static string? Refusal(CallRecord call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return call.Status switch
        {
            CallStatus.Completed => CompletedRefusal,
            CallStatus.Failed or CallStatus.Unknown or CallStatus.Cancelled when call.LastAttempt is { Outcome: null } last =>
                string.Create(CultureInfo.InvariantCulture, $"Call is {call.Status.ToWire()} but its attempt {last.Number} has not ended at Plivo yet: requeue it once its hangup is recorded"),
            CallStatus.Failed or CallStatus.Unknown or CallStatus.Cancelled => null,
            CallStatus.Queued or CallStatus.Scheduled or CallStatus.Retry => $"Call is {call.Status.ToWire()}: it is waiting to be dialed already",
            _ => $"Call is {call.Status.ToWire()}: it is being dialed right now",
        };
    }

    /// <summary>
    /// <paramref name="call"/> queued again with a fresh budget of 1 + max_retries attempts, its history kept and the
    /// requeue noted. <paramref name="via"/> says where it came from ("dashboard", "API").
    /// </summary>
    public static CallRecord Apply(CallRecord call, string via, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(call);
        var made = call.Attempts.Count;
        var requeued = call with
        {
            Status = CallStatus.Queued,
            StatusReason = StatusReason,
            NextAttemptAt = null,
            AttemptOffset = made,
        };
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"Requeued by operator via the {via} after {made} attempt{(made == 1 ? string.Empty : "s")} (was {call.Status.ToWire()}: {call.StatusReason ?? "no reason recorded"}); next: attempt {made + 1} of {requeued.AttemptBudget}");
        return requeued with { Notes = [.. (call.Notes ?? []).TakeLast(MaxNotes - 1), new OperatorNote(now, text)] };
    }

    /// <summary>"Requeued by operator via the dashboard: next attempt 3 of 3", for the job's history.</summary>
    public static string JobReason(CallRecord requeued, string via)
    {
        ArgumentNullException.ThrowIfNull(requeued);
        return string.Create(
            CultureInfo.InvariantCulture, $"{StatusReason} via the {via}: next attempt {requeued.Attempts.Count + 1} of {requeued.AttemptBudget}");
    }
}
