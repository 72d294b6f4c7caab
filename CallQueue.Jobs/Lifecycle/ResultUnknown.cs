namespace CallQueue.Jobs.Lifecycle;

/// <summary>
/// Nobody knows whether attempt <paramref name="Attempt"/> rang anyone (Plivo's answer was lost and Plivo shows nothing):
/// the call goes to a person. Plivo's later word (a callback, a call detail record) replaces this guess.
/// </summary>
public sealed record ResultUnknown(int Attempt, string Reason) : CallEvent;
