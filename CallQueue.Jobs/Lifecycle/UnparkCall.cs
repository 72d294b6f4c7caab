namespace CallQueue.Jobs.Lifecycle;

/// <summary>
/// The paused campaign or batch of a parked call resumed (issue 12): the call's job goes back to its priority's queue
/// with <paramref name="Reason"/>. Only a waiting call.
/// </summary>
public sealed record UnparkCall(string Reason) : CallEvent;
