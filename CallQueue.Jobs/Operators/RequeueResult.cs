using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Operators;

/// <summary>
/// An operator's requeue of one call: what happened, the call as it stands after it (null only when
/// <see cref="RequeueKind.NotFound"/>), and, when <see cref="RequeueKind.Refused"/>, why in an operator's words.
/// </summary>
public sealed record RequeueResult(RequeueKind Kind, CallRecord? Call, string? Refusal);
