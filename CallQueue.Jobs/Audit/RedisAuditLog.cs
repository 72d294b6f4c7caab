using System.Globalization;
using System.Text.Json;
using CallQueue.Jobs.Calls;
using StackExchange.Redis;

namespace CallQueue.Jobs.Audit;

/// <summary>
/// The audit log in Redis (layout: <see cref="AuditKeys"/>): an entry goes to the whole log and to its target's list in
/// one transaction, each trimmed to its cap in the same transaction, so memory stays bounded (<see cref="AuditLimits"/>).
/// </summary>
public sealed class RedisAuditLog : IAuditLog
{
    private readonly IConnectionMultiplexer _redis;
    private readonly AuditKeys _keys;

    public RedisAuditLog(IConnectionMultiplexer redis, string keyPrefix)
    {
        _redis = redis;
        _keys = new AuditKeys(keyPrefix);
    }

    public async Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var stored = entry with { At = AuditLimits.Truncate(entry.At) };

        // The member starts with the exact time (ticks), so entries of one millisecond list newest first as well, and
        // a random part, so two identical entries stay two members.
        var member = string.Create(CultureInfo.InvariantCulture, $"{entry.At.UtcTicks:D19}:{Guid.NewGuid():N}:") + JsonSerializer.Serialize(stored, CallJson.Options);
        var score = stored.At.ToUnixTimeMilliseconds();
        var target = _keys.Target(entry.Target);

        var transaction = _redis.GetDatabase().CreateTransaction();
        _ = transaction.SortedSetAddAsync(_keys.All, member, score);
        _ = transaction.SortedSetRemoveRangeByRankAsync(_keys.All, 0, -AuditLimits.MaxEntries - 1);
        _ = transaction.SortedSetAddAsync(target, member, score);
        _ = transaction.SortedSetRemoveRangeByRankAsync(target, 0, -AuditLimits.MaxEntriesPerTarget - 1);
        _ = transaction.KeyExpireAsync(target, AuditLimits.TargetRetention);
        await transaction.ExecuteAsync();
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var key = query.Target is null ? _keys.All : _keys.Target(query.Target);
        var before = query.Before is { } at ? at.ToUnixTimeMilliseconds() : double.PositiveInfinity;

        // Stored times are whole milliseconds, so "before a time" is "before its millisecond, rounded up".
        if (query.Before is { } exact && exact > AuditLimits.Truncate(exact))
        {
            before++;
        }

        var members = await _redis.GetDatabase().SortedSetRangeByScoreAsync(
            key, double.NegativeInfinity, before, Exclude.Stop, Order.Descending, 0, Math.Clamp(query.Limit, 1, AuditLimits.MaxListed));
        return members.Select(member => Decode(member!)).ToList();
    }

    private static AuditEntry Decode(string member)
    {
        // ticks (19 digits) ':' id (32 hex digits) ':' JSON
        const int JsonStart = 19 + 1 + 32 + 1;
        return JsonSerializer.Deserialize<AuditEntry>(member.AsSpan(JsonStart), CallJson.Options)
            ?? throw new InvalidOperationException("An audit entry in Redis is not valid JSON.");
    }
}
