namespace CallQueue.Jobs.Lifecycle;

/// <summary>
/// The call's Hangfire job moves (<paramref name="Move"/>) with <paramref name="Reason"/> shown on the dashboard; a
/// schedule waits <paramref name="Delay"/>. Inside the running dial job this is its outcome (an exception the retry
/// filter turns into the state); elsewhere a state change.
/// </summary>
public sealed record MoveJob(JobMove Move, string Reason, TimeSpan? Delay = null) : CallEffect;
