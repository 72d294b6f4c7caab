using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Lifecycle;

/// <summary>An attempt's outcome, whether it is worth another attempt, and how to say it ("Busy (3010 Busy Line)").</summary>
public sealed record AttemptClassification(CallOutcome Outcome, bool Retryable, string Description);
