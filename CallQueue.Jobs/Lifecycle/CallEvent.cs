namespace CallQueue.Jobs.Lifecycle;

/// <summary>
/// Something that happens to a call: a dialer's step, a Plivo callback, an operator's command, the agent's word.
/// <see cref="CallLifecycle.Apply"/> turns a call record and an event into the next record and the effects to carry out.
/// </summary>
public abstract record CallEvent;
