namespace CallQueue.Jobs.Audit;

/// <summary>
/// One operator action (issue 12): who did it (a dashboard user or an API key's name, never a secret), when, what
/// (<c>pause</c>, <c>resume</c>, <c>cancel</c>, <c>requeue</c>, <c>dnc.add</c>, <c>dnc.remove</c>), on what
/// (<c>campaign:{id}</c>, <c>batch:{id}</c>, <c>call:{id}</c>, <c>dnc:{masked number}</c>) and how many calls it changed.
/// </summary>
public sealed record AuditEntry(DateTimeOffset At, string Actor, string Action, string Target, long Calls, string? Detail = null);
