namespace CallQueue.Jobs.Lifecycle;

/// <summary>Plivo did not confirm a cancellation: the call says so (the callee may ring until the ring timeout).</summary>
public sealed record CancelUnconfirmed(string Reason) : CallEvent;
