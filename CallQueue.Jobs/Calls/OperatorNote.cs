namespace CallQueue.Jobs.Calls;

/// <summary>Something an operator did to a call, kept with its history ("Requeued by operator (dashboard) …").</summary>
public sealed record OperatorNote(DateTimeOffset At, string Text);
