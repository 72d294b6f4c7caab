namespace CallQueue.Jobs.Lifecycle;

/// <summary>
/// The call's campaign or batch is paused (issue 12): a waiting call keeps its status and place, says
/// <paramref name="Reason"/>, and its job is parked (no queue, no schedule: it costs nothing while it waits) until a
/// resume puts it back. No attempt is used. Only a call not being dialed.
/// </summary>
public sealed record ParkCall(string Reason) : CallEvent;
