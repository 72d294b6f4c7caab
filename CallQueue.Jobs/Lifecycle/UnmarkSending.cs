using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Lifecycle;

/// <summary>Takes back a <see cref="MarkSending"/> made at <paramref name="SentAt"/> whose rate grant went stale before the request left.</summary>
public sealed record UnmarkSending(CallAttempt Claim, DateTimeOffset SentAt) : CallEvent;
