namespace CallQueue.Jobs.Lifecycle;

/// <summary>
/// The call's campaign or batch is cancelled (issue 12): a call not dialed yet is cancelled and its job deleted; any
/// other call (being dialed, ringing, in progress, over) is left to finish normally (refused, never hung up).
/// </summary>
public sealed record CancelWaiting(string Reason) : CallEvent;
