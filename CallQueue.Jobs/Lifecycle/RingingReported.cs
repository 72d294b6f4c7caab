namespace CallQueue.Jobs.Lifecycle;

/// <summary>Plivo's ring callback for attempt <paramref name="Attempt"/>.</summary>
public sealed record RingingReported(int Attempt, PlivoCallIds Call) : CallEvent;
