using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Lifecycle;

/// <summary>
/// A callee-safety rule holds a waiting call until <paramref name="Until"/> (calling hours, number busy, gap, cap): status
/// scheduled with <paramref name="Reason"/>, its job scheduled then, no attempt used. Only a call not being dialed.
/// </summary>
public sealed record HoldCall(SafetyRule Rule, DateTimeOffset Until, string Reason) : CallEvent;
