using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Lifecycle;
using CallQueue.Jobs.Safety;

namespace CallQueue.Api.Calls;

/// <summary>
/// Callee safety when calls are queued (issue 11), the same for one call and for a bulk request's items, before anything
/// is stored: a call whose calling hours never open is refused (400 naming <c>call_config.calling_window</c>); a call
/// whose number is on the do-not-call list for it is stored <c>blocked</c> and never gets a dial job; a call outside its
/// calling hours at <c>max(now, scheduled_at)</c> is stored <c>scheduled</c>, held until the opening (its job is
/// scheduled once, for then). Every rule is checked again right before the Plivo request.
/// </summary>
internal static class QueueTimeSafety
{
    public const string CallingWindowField = "call_config.calling_window";

    public const string ExpiresAtField = "expires_at";

    private const string NotDialedPrefix = "Not dialed: ";

    /// <summary>One verdict per call, in order. The do-not-call list is read once for all of them (pipelined in Redis).</summary>
    public static async Task<IReadOnlyList<QueueTimeVerdict>> ApplyAsync(
        IReadOnlyList<CallRecord> calls, CallSafety safety, IDoNotCallList doNotCall, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var verdicts = new QueueTimeVerdict[calls.Count];
        var hours = new SafetyVerdict?[calls.Count];
        var listed = new List<int>(calls.Count);
        for (var i = 0; i < calls.Count; i++)
        {
            var call = calls[i];
            hours[i] = safety.Check(call, call.ScheduledAt is { } at && at > now ? at : now);
            if (hours[i] is { FinalStatus: not null } stop)
            {
                verdicts[i] = Refusal(call, stop);
            }
            else
            {
                listed.Add(i);
            }
        }

        var entries = listed.Count == 0
            ? []
            : await doNotCall.IsBlockedAsync(listed.Select(i => (calls[i].PhoneNumber, (string?)calls[i].CampaignId)).ToList(), cancellationToken);
        for (var n = 0; n < listed.Count; n++)
        {
            var i = listed[n];
            verdicts[i] = QueueTimeVerdict.Store(entries[n] is { } entry ? Blocked(calls[i], entry, now)
                : hours[i] is { Until: { } until } hold ? Held(calls[i], hold, until, now)
                : calls[i]);
        }

        return verdicts;
    }

    private static CallRecord Blocked(CallRecord call, DoNotCallEntry entry, DateTimeOffset now)
    {
        var reason = entry.BlockedReason();
        return CallLifecycle.WithDecision(call, new SafetyDecision(now, SafetyRule.DoNotCall, reason)) with
        {
            Status = CallStatus.Blocked,
            StatusReason = reason,
            NextAttemptAt = null,
            Hold = null,
        };
    }

    private static CallRecord Held(CallRecord call, SafetyVerdict hold, DateTimeOffset until, DateTimeOffset now) =>
        CallLifecycle.WithDecision(call, new SafetyDecision(now, hold.Rule, hold.Reason)) with
        {
            Status = CallStatus.Scheduled,
            StatusReason = hold.Reason,
            NextAttemptAt = until,
            Hold = new CallHold(hold.Rule, until),
        };

    // Validation already refused unknown zones and deadlines in the past: what is left here is calling hours that never
    // open (the call's window, CALLING_DAYS or RESTRICTED_DATES), and the races of a clock that moved meanwhile.
    private static QueueTimeVerdict Refusal(CallRecord call, SafetyVerdict stop)
    {
        if (stop.FinalStatus == CallStatus.Expired)
        {
            return QueueTimeVerdict.Refuse(ExpiresAtField, $"{ExpiresAtField} must be in the future: a call not placed by then is never dialed.");
        }

        if (CallSafety.Locate(call) is { Location: null, Field: { } field })
        {
            return QueueTimeVerdict.Refuse(field, call.Config.Timezone is null ? QueueCallRequestValidator.UnknownTimeZoneMessage : CalleeLocator.InvalidTimeZoneMessage(call.Config.Timezone));
        }

        var reason = stop.Reason.StartsWith(NotDialedPrefix, StringComparison.Ordinal) ? stop.Reason[NotDialedPrefix.Length..] : stop.Reason;
        return QueueTimeVerdict.Refuse(CallingWindowField, $"{CallingWindowField} leaves no time at which the call may be dialed: {reason}.");
    }
}
