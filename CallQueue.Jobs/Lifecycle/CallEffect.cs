namespace CallQueue.Jobs.Lifecycle;

/// <summary>
/// Something to carry out once a transition is written: the state machine decides, the adapter (a job, a callback, an
/// endpoint) does it, after the record's compare-and-set succeeded and never before.
/// </summary>
public abstract record CallEffect;
