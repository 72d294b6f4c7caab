namespace CallQueue.Jobs.Audit;

/// <summary>
/// Who is acting right now, for actions noticed below the HTTP layer (a Requeue pressed on the dashboard reaches
/// CallQueue as a Hangfire state change in that request): the host supplies it; null outside a request.
/// </summary>
public interface ICurrentActor
{
    string? Name { get; }
}
