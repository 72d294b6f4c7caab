using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Operators;

/// <summary>A cancel request: how it found the call, and the call as it stands after it (null only when <see cref="CancelKind.NotFound"/>).</summary>
public sealed record CancelResult(CancelKind Kind, CallRecord? Call);
