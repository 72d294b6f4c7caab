using System.Globalization;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace CallQueue.Jobs.Throttling;

/// <summary>
/// <see cref="ICallCapacity"/> for every process sharing one Redis. Each decision is one Lua script on Redis TIME
/// (<see cref="RedisCapacityScripts"/>), so the caps hold across processes and host clocks never matter.
/// <para>Key schema (under the hash tag <c>{prefix}</c> of the call store, so one cluster slot; built by <see cref="Key"/>):</para>
/// <list type="table">
/// <item><term>{p}:slots</term><description>sorted set: member = call id holding a slot, score = lease expiry (Redis-time ms).
/// Expired leases are swept by every acquire. TTL: the latest lease's expiry + 1 h, refreshed on every acquire (not the
/// bare expiry: Redis would then drop expired leases silently, and no sweep would announce or log them).</description></item>
/// <item><term>{p}:slots:waiting</term><description>sorted set: the waiting line for slots, member = call id, score = queue
/// order (priority, then when the call started waiting). A freed slot goes to the head of the line.</description></item>
/// <item><term>{p}:slots:waiting:expiry</term><description>sorted set: member = call id, score = when its place lapses (Redis-time
/// ms) unless it asks again; lapsed places are swept by every acquire, so a dead process never blocks the line.</description></item>
/// <item><term>{p}:rate</term><description>string: the GCRA theoretical arrival time (Redis-time µs). TTL: that time + 1 s.</description></item>
/// <item><term>{p}:rate:grants</term><description>sorted set: member = score = grant time (Redis-time µs), trimmed to the last
/// 60 s on every grant (at most 60 × the rate members). TTL 60 s.</description></item>
/// <item><term>{p}:slot-freed</term><description>pub/sub channel: <c>"{slots freed} {instance id}"</c> on a release, or on an
/// acquire that reclaimed expired leases and left room (a lease that merely expires is announced by the next acquire;
/// until then the waiters' timeouts cover it). Each instance subscribes once, on its first wait.</description></item>
/// </list>
/// </summary>
public sealed class RedisCallCapacity : ICallCapacity, IDisposable
{
    private static readonly TimeSpan SlotsKeyGrace = TimeSpan.FromHours(1);

    private readonly IConnectionMultiplexer _redis;
    private readonly ILogger _logger;
    private readonly RedisKey _slots;
    private readonly RedisKey _waiters;
    private readonly RedisKey _waitersExpiry;
    private readonly RedisKey _rate;
    private readonly RedisKey _grants;
    private readonly RedisChannel _slotFreed;
    private readonly string _slotFreedName;
    private readonly string _instanceId = Guid.NewGuid().ToString("N");
    private readonly FreedSlotSignal _freed;
    private readonly Action<RedisChannel, RedisValue> _onSlotFreed;
    private readonly Lock _gate = new();
    private Task? _subscription;

    public RedisCallCapacity(IConnectionMultiplexer redis, string keyPrefix, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentException.ThrowIfNullOrEmpty(keyPrefix);
        _redis = redis;
        _logger = logger;
        _slots = Key(keyPrefix, "slots");
        _waiters = Key(keyPrefix, "slots:waiting");
        _waitersExpiry = Key(keyPrefix, "slots:waiting:expiry");
        _rate = Key(keyPrefix, "rate");
        _grants = Key(keyPrefix, "rate:grants");
        _slotFreedName = Key(keyPrefix, "slot-freed");
        _slotFreed = RedisChannel.Literal(_slotFreedName);
        _freed = new FreedSlotSignal(time);
        _onSlotFreed = OnSlotFreed;
    }

    private IDatabase Db => _redis.GetDatabase();

    // The one key builder: the same "{prefix}:" hash tag as CallStoreKeys.
    private static string Key(string prefix, string name) => "{" + prefix + "}:" + name;

    // The token is checked only before a script is sent: abandoning a script in flight could lose a slot it took.
    /// <summary>Takes a slot without queuing: only if one is left for everybody in the waiting line.</summary>
    public Task<SlotResult> TryAcquireSlotAsync(string callId, int maxSlots, TimeSpan leaseDuration, CancellationToken cancellationToken) =>
        TryAcquireSlotAsync(callId, maxSlots, leaseDuration, queueOrder: double.NaN, cancellationToken);

    public async Task<SlotResult> TryAcquireSlotAsync(string callId, int maxSlots, TimeSpan leaseDuration, double queueOrder, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(callId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSlots);
        ArgumentOutOfRangeException.ThrowIfLessThan(leaseDuration, TimeSpan.FromMilliseconds(1));
        cancellationToken.ThrowIfCancellationRequested();

        var leaseMilliseconds = (long)Math.Ceiling(leaseDuration.TotalMilliseconds);
        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(
            RedisCapacityScripts.Acquire.ExecutableScript,
            [_slots, _waiters, _waitersExpiry],
            [callId, maxSlots, leaseMilliseconds, _slotFreedName, _instanceId, (long)SlotsKeyGrace.TotalMilliseconds, double.IsNaN(queueOrder) ? string.Empty : queueOrder.ToString("R", CultureInfo.InvariantCulture), (long)ICallCapacity.WaiterLifetime.TotalMilliseconds]))!;
        var reclaimed = (long)result[2];
        if (reclaimed > 0)
        {
            Log.LeasesReclaimed(_logger, reclaimed);
        }

        // The channel tells the other processes; our own waiters learn it here, without the round trip.
        _freed.Wake((long)result[3]);
        return new SlotResult((long)result[0] == 1, (long)result[1]);
    }

    public async Task LeaveSlotQueueAsync(string callId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(callId);
        var removed = (long)await Db.ScriptEvaluateAsync(
            RedisCapacityScripts.Leave.ExecutableScript, [_waiters, _waitersExpiry], [callId, _slotFreedName, _instanceId]);
        if (removed == 1)
        {
            _freed.Wake(1);
        }
    }

    public async Task ReleaseSlotAsync(string callId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(callId);
        cancellationToken.ThrowIfCancellationRequested();

        var removed = (long)await Db.ScriptEvaluateAsync(
            RedisCapacityScripts.Release.ExecutableScript, [_slots], [callId, _slotFreedName, _instanceId]);
        if (removed == 1)
        {
            _freed.Wake(1);
        }
    }

    public async Task WaitForFreedSlotAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        // Queued before anything is awaited, so a release in this process during the first subscription is not missed.
        var waiting = _freed.WaitAsync(timeout, cancellationToken);
        try
        {
            await EnsureSubscribedAsync().WaitAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            // Without the channel, only this process's releases and the timeout end the wait; the next wait retries.
            Log.SubscribeFailed(_logger, _slotFreedName, exception);
        }

        await waiting;
    }

    public async Task<TimeSpan> TryTakeRateTokenAsync(double perSecond, CancellationToken cancellationToken)
    {
        var interval = RateSchedule.IntervalMicroseconds(perSecond);
        cancellationToken.ThrowIfCancellationRequested();

        var wait = (long)await Db.ScriptEvaluateAsync(
            RedisCapacityScripts.TakeRateToken.ExecutableScript,
            [_rate, _grants],
            [interval, RateSchedule.LatenessMicroseconds(interval), RateSchedule.GrantsRetentionMicroseconds]);
        return RateSchedule.RetryAfter(wait);
    }

    public async Task<long> CountSlotsAsync(CancellationToken cancellationToken) =>
        (long)await Db.ScriptEvaluateAsync(RedisCapacityScripts.CountSlots.ExecutableScript, [_slots]);

    public async Task<long> CountGrantsAsync(TimeSpan window, CancellationToken cancellationToken)
    {
        RateSchedule.ValidateWindow(window);
        return (long)await Db.ScriptEvaluateAsync(
            RedisCapacityScripts.CountGrants.ExecutableScript, [_grants], [window.Ticks / TimeSpan.TicksPerMicrosecond]);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_subscription is { IsCompletedSuccessfully: true })
            {
                _redis.GetSubscriber().Unsubscribe(_slotFreed, _onSlotFreed, CommandFlags.FireAndForget);
            }

            _subscription = null;
        }
    }

    // Subscribes once per instance, on the first wait; a failed attempt is retried by the next wait. StackExchange.Redis
    // restores the subscription after a reconnect.
    private Task EnsureSubscribedAsync()
    {
        lock (_gate)
        {
            if (_subscription is null || _subscription.IsFaulted || _subscription.IsCanceled)
            {
                _subscription = SubscribeAsync();
            }

            return _subscription;
        }
    }

    private async Task SubscribeAsync()
    {
        await _redis.GetSubscriber().SubscribeAsync(_slotFreed, _onSlotFreed);
        Log.Subscribed(_logger, _slotFreedName);
    }

    private void OnSlotFreed(RedisChannel channel, RedisValue message)
    {
        var text = (string?)message ?? string.Empty;
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0 || !long.TryParse(text.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            _freed.Wake(1);
            return;
        }

        // Our own releases and reclaims woke our waiters already.
        if (!text.AsSpan(space + 1).SequenceEqual(_instanceId))
        {
            _freed.Wake(count);
        }
    }
}
