using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Storage;

/// <summary>
/// Calls waiting by reason (GET /api/queue/status): a call counts under its <see cref="CallRecord.Hold"/>'s rule while it
/// waits (queued, scheduled or retry) and holds. Both stores keep the count the way they keep the counts per status.
/// </summary>
internal static class WaitingCounts
{
    /// <summary>The field of a rule's count in the Redis counts hash (<see cref="CallStoreKeys.Counts"/>), beside the statuses.</summary>
    public const string FieldPrefix = "waiting:";

    /// <summary>The rule <paramref name="call"/> is counted under, or null when it is not waiting on one.</summary>
    public static SafetyRule? RuleOf(CallRecord call) =>
        call.Hold is { } hold && call.Status is CallStatus.Queued or CallStatus.Scheduled or CallStatus.Retry ? hold.Rule : null;

    public static string Field(SafetyRule rule) => FieldPrefix + rule.ToWire();

    /// <summary>Every rule, at zero.</summary>
    public static Dictionary<SafetyRule, long> Empty() => Enum.GetValues<SafetyRule>().ToDictionary(rule => rule, _ => 0L);
}
