namespace CallQueue.Jobs.Operators;

/// <summary>A call a bulk requeue matched and left alone, and why.</summary>
public sealed record SkippedCall(string CallId, string Reason);
