namespace CallQueue.Jobs.Audit;

/// <summary>
/// The Redis layout of the audit log, written down once. Under the hash tag of <c>REDIS_KEY_PREFIX</c> like every other
/// key (one cluster slot: an entry and its target's copy are written in one transaction):
/// <list type="table">
/// <item><term>{p}:audit</term><description>sorted set: every entry as JSON (with a random id, so two equal entries stay
/// two), score = <see cref="AuditEntry.At"/> in Unix ms. The newest <see cref="AuditLimits.MaxEntries"/> are kept. No TTL.</description></item>
/// <item><term>{p}:audit:{target}</term><description>sorted set: the same entries of one target (<c>campaign:{id}</c>,
/// <c>call:{id}</c>, …), the newest <see cref="AuditLimits.MaxEntriesPerTarget"/>; expires
/// <see cref="AuditLimits.TargetRetention"/> after its last entry, so targets nobody touches again do not pile up.</description></item>
/// </list>
/// </summary>
internal sealed class AuditKeys(string prefix)
{
    public string All { get; } = "{" + prefix + "}:audit";

    public string Target(string target) => All + ":" + target;
}
