namespace CallQueue.Jobs.Lifecycle;

/// <summary>
/// Someone cancels the call: one not dialed yet is cancelled and its job deleted; one placed and not answered is
/// cancelled and then cancelled at Plivo (its hangup settles the attempt). Refused while a request is in flight, and for
/// calls that are answered or over.
/// </summary>
public sealed record CancelCall(string Reason) : CallEvent;
