namespace CallQueue.Jobs.Lifecycle;

/// <summary>Plivo accepted the create-call request of attempt <paramref name="Attempt"/> (its answer, with request_uuid).</summary>
public sealed record PlivoAccepted(int Attempt, string RequestUuid, string? Message) : CallEvent;
