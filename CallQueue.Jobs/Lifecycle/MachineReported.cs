namespace CallQueue.Jobs.Lifecycle;

/// <summary>Plivo's machine-detection verdict for attempt <paramref name="Attempt"/>; the hangup then counts as a machine.</summary>
public sealed record MachineReported(int Attempt, PlivoCallIds Call, bool Machine) : CallEvent;
