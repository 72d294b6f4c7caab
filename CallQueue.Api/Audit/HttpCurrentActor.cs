using CallQueue.Jobs.Audit;

namespace CallQueue.Api.Audit;

/// <summary>The user of the HTTP request being handled, for audit entries written below the HTTP layer (the dashboard's Requeue).</summary>
internal sealed class HttpCurrentActor(IHttpContextAccessor accessor) : ICurrentActor
{
    public string? Name => accessor.HttpContext is { } http ? AuditRecorder.ActorOf(http.User) : null;
}
