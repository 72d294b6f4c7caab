namespace CallQueue.Jobs.Calls;

/// <summary>Why a call waits without using an attempt, and until when (its job is scheduled then, not polled).</summary>
public sealed record CallHold(SafetyRule Rule, DateTimeOffset Until);
