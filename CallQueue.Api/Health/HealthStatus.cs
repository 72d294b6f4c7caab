namespace CallQueue.Api.Health;

public enum HealthStatus
{
    Healthy,
    Degraded,
    Unhealthy,
}
