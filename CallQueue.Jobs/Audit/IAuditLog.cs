namespace CallQueue.Jobs.Audit;

/// <summary>The record of every operator action (issue 12): written when the action is done, listed by GET /api/audit.</summary>
public interface IAuditLog
{
    Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>Entries matching <paramref name="query"/>, newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAsync(AuditQuery query, CancellationToken cancellationToken);
}
