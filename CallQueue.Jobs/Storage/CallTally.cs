using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Storage;

/// <summary>
/// A campaign's or batch's calls summed up (issue 12), kept with every write (Redis: one small hash per campaign and per
/// batch, <see cref="CallStoreKeys"/>): calls per status, calls per their last attempt's outcome, attempts made, attempts
/// that ended, answered, the talk seconds of the answered ones and the seconds ended attempts held a line (from the request
/// to the hangup: what a call costs the concurrency cap); when it was first and last written.
/// </summary>
public sealed record CallTally(
    IReadOnlyDictionary<CallStatus, long> Counts,
    IReadOnlyDictionary<CallOutcome, long> Outcomes,
    long Attempts,
    long AttemptsEnded,
    long Answered,
    long TalkSeconds,
    long LineSeconds,
    DateTimeOffset? FirstSeen,
    DateTimeOffset? LastActivity)
{
    internal const string AttemptsField = "a";
    internal const string EndedField = "e";
    internal const string AnsweredField = "n";
    internal const string TalkField = "t";
    internal const string LineField = "h";
    internal const string FirstField = "first";
    internal const string LastField = "last";

    public long Total => Counts.Values.Sum();

    /// <summary>Calls over (every terminal status).</summary>
    public long Done => Counts.Where(pair => pair.Key.IsTerminal()).Sum(pair => pair.Value);

    /// <summary>Calls still to place: queued, scheduled or retry.</summary>
    public long Waiting => Counts.Where(pair => pair.Key is CallStatus.Queued or CallStatus.Scheduled or CallStatus.Retry).Sum(pair => pair.Value);

    /// <summary>Calls dialing, ringing or in progress.</summary>
    public long InFlight => Counts.Where(pair => pair.Key.IsActive()).Sum(pair => pair.Value);

    /// <summary>The tally of <paramref name="calls"/>, counted one by one (the in-memory store; tests).</summary>
    public static CallTally Of(IEnumerable<CallRecord> calls, DateTimeOffset? firstSeen = null, DateTimeOffset? lastActivity = null)
    {
        ArgumentNullException.ThrowIfNull(calls);
        var fields = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var call in calls)
        {
            foreach (var (field, delta) in Deltas(before: null, call))
            {
                fields[field] = fields.GetValueOrDefault(field) + delta;
            }
        }

        return FromFields(fields, firstSeen, lastActivity);
    }

    /// <summary>What a change from <paramref name="before"/> (null: the call is new) to <paramref name="after"/> adds to the tally's fields.</summary>
    internal static IEnumerable<(string Field, long Delta)> Deltas(CallRecord? before, CallRecord after)
    {
        if (before?.Status != after.Status)
        {
            if (before is not null)
            {
                yield return (StatusField(before.Status), -1);
            }

            yield return (StatusField(after.Status), 1);
        }

        var outcomeBefore = before?.LastAttempt?.Outcome;
        var outcomeAfter = after.LastAttempt?.Outcome;
        if (outcomeBefore != outcomeAfter)
        {
            if (outcomeBefore is { } was)
            {
                yield return (OutcomeField(was), -1);
            }

            if (outcomeAfter is { } now)
            {
                yield return (OutcomeField(now), 1);
            }
        }

        var attempts = after.Attempts.Count - (before?.Attempts.Count ?? 0);
        if (attempts != 0)
        {
            yield return (AttemptsField, attempts);
        }

        // Attempts that ended in this change (an outcome appeared), answered ones with their talk time.
        long ended = 0, answered = 0, talk = 0, line = 0;
        foreach (var attempt in after.Attempts)
        {
            if (attempt.Outcome is null || before?.Attempts.FirstOrDefault(a => a.Number == attempt.Number)?.Outcome is not null)
            {
                continue;
            }

            ended++;
            if (attempt is { SentAt: { } sent, EndedAt: { } end } && end > sent)
            {
                line += (long)(end - sent).TotalSeconds;
            }

            if (attempt.Outcome == CallOutcome.Answered)
            {
                answered++;
                talk += attempt.Duration ?? 0;
            }
        }

        if (ended != 0)
        {
            yield return (EndedField, ended);
            yield return (LineField, line);
        }

        if (answered != 0)
        {
            yield return (AnsweredField, answered);
            yield return (TalkField, talk);
        }
    }

    internal static CallTally FromFields(IReadOnlyDictionary<string, long> fields, DateTimeOffset? firstSeen, DateTimeOffset? lastActivity) => new(
        Enum.GetValues<CallStatus>().ToDictionary(status => status, status => fields.GetValueOrDefault(StatusField(status))),
        Enum.GetValues<CallOutcome>().ToDictionary(outcome => outcome, outcome => fields.GetValueOrDefault(OutcomeField(outcome))),
        fields.GetValueOrDefault(AttemptsField),
        fields.GetValueOrDefault(EndedField),
        fields.GetValueOrDefault(AnsweredField),
        fields.GetValueOrDefault(TalkField),
        fields.GetValueOrDefault(LineField),
        firstSeen,
        lastActivity);

    internal static string StatusField(CallStatus status) => "s:" + status.ToWire();

    internal static string OutcomeField(CallOutcome outcome) => "o:" + outcome.ToWire();
}
