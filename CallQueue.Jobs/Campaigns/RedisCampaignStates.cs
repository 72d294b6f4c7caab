using CallQueue.Jobs.Calls;
using StackExchange.Redis;

namespace CallQueue.Jobs.Campaigns;

/// <summary>
/// Campaign and batch states in Redis, under the deployment's hash tag:
/// <list type="table">
/// <item><term>{p}:control</term><description>hash: <c>campaign:{id}</c> / <c>batch:{id}</c> → <c>paused</c> or <c>cancelled</c> (absent: active).</description></item>
/// <item><term>{p}:parked:{campaign|batch}:{id}</term><description>sorted set: parked call ids, score = priority then queued-at order.</description></item>
/// <item><term>{p}:parked-index</term><description>set: the targets that have a parked set.</description></item>
/// </list>
/// A dial reads its call's two fields with one HMGET; a park checks and adds in one script.
/// </summary>
public sealed class RedisCampaignStates(IConnectionMultiplexer redis, string keyPrefix) : ICampaignStates
{
    // KEYS: control, parked set, parked index. ARGV: field, call id, score. Adds only while the field says paused.
    private static readonly LuaScript ParkScript = LuaScript.Prepare(
        """
        if redis.call('HGET', KEYS[1], ARGV[1]) ~= 'paused' then return 0 end
        redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
        redis.call('SADD', KEYS[3], ARGV[1])
        return 1
        """);

    // KEYS: control. ARGV: field, new state ('active' deletes), then the allowed previous states. Returns {changed, was}.
    private static readonly LuaScript ChangeScript = LuaScript.Prepare(
        """
        local was = redis.call('HGET', KEYS[1], ARGV[1]) or 'active'
        for i = 3, #ARGV do
          if ARGV[i] == was then
            if ARGV[2] == 'active' then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
            return {1, was}
          end
        end
        return {0, was}
        """);

    private readonly string _prefix = "{" + keyPrefix + "}:";

    private IDatabase Db => redis.GetDatabase();

    /// <summary>The control hash of the deployment <paramref name="keyPrefix"/> (REDIS_KEY_PREFIX).</summary>
    public static string ControlKey(string keyPrefix) => "{" + keyPrefix + "}:control";

    private string Control => ControlKey(keyPrefix);

    private string ParkedIndex => _prefix + "parked-index";

    private string Parked(ControlTarget target) => _prefix + "parked:" + target.ToString();

    public async Task<CampaignState> GetAsync(ControlTarget target, CancellationToken cancellationToken) =>
        CampaignStateWire.Parse(await Db.HashGetAsync(Control, target.ToString()));

    public async Task<IReadOnlyList<CampaignState>> GetManyAsync(IReadOnlyList<ControlTarget> targets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Count == 0)
        {
            return [];
        }

        var values = await Db.HashGetAsync(Control, targets.Select(target => (RedisValue)target.ToString()).ToArray());
        return values.Select(value => CampaignStateWire.Parse(value)).ToList();
    }

    public async Task<CampaignHold?> HoldOfAsync(CallRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        List<ControlTarget> targets = [ControlTarget.Campaign(record.CampaignId)];
        if (record.BatchId is { } batchId)
        {
            targets.Add(ControlTarget.Batch(batchId));
        }

        var states = await GetManyAsync(targets, cancellationToken);
        return CampaignHolds.Pick(targets, states);
    }

    public async Task<(bool Changed, CampaignState Was)> ChangeAsync(
        ControlTarget target, IReadOnlyCollection<CampaignState> from, CampaignState newState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(from);
        RedisValue[] args = [target.ToString(), newState.ToWire(), .. from.Select(state => (RedisValue)state.ToWire())];
        var result = (RedisValue[])(await Db.ScriptEvaluateAsync(ChangeScript.ExecutableScript, [Control], args))!;
        return ((int)result[0] == 1, CampaignStateWire.Parse(result[1]));
    }

    public async Task<bool> ParkAsync(ControlTarget target, string callId, double order, CancellationToken cancellationToken) =>
        (int)await Db.ScriptEvaluateAsync(
            ParkScript.ExecutableScript, [Control, Parked(target), ParkedIndex], [target.ToString(), callId, order]) == 1;

    public async Task<IReadOnlyList<string>> PeekParkedAsync(ControlTarget target, int count, CancellationToken cancellationToken)
    {
        var ids = await Db.SortedSetRangeByRankAsync(Parked(target), 0, count - 1);
        return ids.Select(id => id.ToString()).ToList();
    }

    public async Task RemoveParkedAsync(ControlTarget target, IReadOnlyList<string> callIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(callIds);
        var key = Parked(target);
        await Db.SortedSetRemoveAsync(key, callIds.Select(id => (RedisValue)id).ToArray());
        if (await Db.SortedSetLengthAsync(key) == 0)
        {
            await Db.SetRemoveAsync(ParkedIndex, target.ToString());
        }
    }

    public async Task<long> CountParkedAsync(ControlTarget target, CancellationToken cancellationToken) =>
        await Db.SortedSetLengthAsync(Parked(target));

    public async Task<IReadOnlyList<ControlTarget>> GetTargetsWithParkedAsync(CancellationToken cancellationToken)
    {
        var fields = await Db.SetMembersAsync(ParkedIndex);
        return fields.Select(field => CampaignStateWire.ParseTarget(field.ToString())).OfType<ControlTarget>().ToList();
    }
}
