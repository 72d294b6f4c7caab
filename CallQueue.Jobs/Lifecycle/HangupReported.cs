namespace CallQueue.Jobs.Lifecycle;

/// <summary>How attempt <paramref name="Attempt"/> ended, in Plivo's words (hangup callback, call detail record, reconciler).</summary>
public sealed record HangupReported(int Attempt, AttemptResult Result) : CallEvent;
