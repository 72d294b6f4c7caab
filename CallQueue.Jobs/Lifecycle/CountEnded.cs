using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Lifecycle;

/// <summary>Count the attempt's end in the metrics (completed, failed by outcome, …).</summary>
public sealed record CountEnded(CallStatus Status, CallOutcome? Outcome) : CallEffect;
