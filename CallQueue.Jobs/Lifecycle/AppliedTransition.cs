using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Lifecycle;

/// <summary>
/// A transition as it went through the store: the call as stored afterwards (null when there is no such call) and the
/// state machine's decision on the record it was applied to last (null when there is no such call).
/// </summary>
public sealed record AppliedTransition(CallRecord? Call, Transition? Transition)
{
    /// <summary>The transition was accepted and its record written.</summary>
    public bool Written => Call is not null && Transition is { Accepted: true };

    public IReadOnlyList<CallEffect> Effects => Written ? Transition!.Effects : [];
}
