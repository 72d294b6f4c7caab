using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Lifecycle;

/// <summary>The claim's run records that its request to Plivo leaves now (only while its claim still holds).</summary>
public sealed record MarkSending(CallAttempt Claim) : CallEvent;
