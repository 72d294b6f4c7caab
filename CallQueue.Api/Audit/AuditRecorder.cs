using System.Security.Claims;
using CallQueue.Api.Security;
using CallQueue.Jobs.Audit;

namespace CallQueue.Api.Audit;

/// <summary>
/// Records an operator's action in the audit log, with the actor's name: the API key's name (<c>name:key</c> entries of
/// API_KEYS; <c>key-1</c>… for bare keys) or the dashboard user, <see cref="Anonymous"/> when the API is open.
/// </summary>
public sealed class AuditRecorder(IAuditLog log, TimeProvider time)
{
    public const string Anonymous = "anonymous";

    /// <summary>The name an action is recorded under: the signed-in identity's name, else <see cref="Anonymous"/>.</summary>
    public static string ActorOf(ClaimsPrincipal? user) =>
        user?.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } and not { Name: ApiKeyAuthenticationHandler.OpenAccessName } ? name : Anonymous;

    public Task RecordAsync(ClaimsPrincipal? user, string action, string target, long calls, string? detail, CancellationToken cancellationToken) =>
        log.RecordAsync(new AuditEntry(time.GetUtcNow(), ActorOf(user), action, target, calls, detail), cancellationToken);
}
