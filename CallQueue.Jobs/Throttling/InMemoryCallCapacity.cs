using Microsoft.Extensions.Logging;

namespace CallQueue.Jobs.Throttling;

/// <summary>
/// <see cref="ICallCapacity"/> within one process (development without Redis, on Hangfire.InMemory): the semantics of
/// <see cref="RedisCallCapacity"/> with leases in a dictionary, the GCRA of <see cref="RateSchedule"/>, and times in µs
/// on the monotonic clock of <see cref="TimeProvider"/>.
/// </summary>
public sealed class InMemoryCallCapacity : ICallCapacity
{
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly long _origin;
    private readonly FreedSlotSignal _freed;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _leases = new(StringComparer.Ordinal); // call id → expiry (µs)
    private readonly Dictionary<string, (double Order, long Expiry)> _waiters = new(StringComparer.Ordinal); // the waiting line
    private readonly Queue<long> _grants = new(); // grant times (µs), oldest first
    private long _theoreticalArrival; // µs

    public InMemoryCallCapacity(TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _logger = logger;
        _origin = time.GetTimestamp();
        _freed = new FreedSlotSignal(time);
    }

    /// <summary>Takes a slot without queuing: only if one is left for everybody in the waiting line.</summary>
    public Task<SlotResult> TryAcquireSlotAsync(string callId, int maxSlots, TimeSpan leaseDuration, CancellationToken cancellationToken) =>
        TryAcquireSlotAsync(callId, maxSlots, leaseDuration, queueOrder: double.NaN, cancellationToken);

    public Task<SlotResult> TryAcquireSlotAsync(string callId, int maxSlots, TimeSpan leaseDuration, double queueOrder, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(callId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSlots);
        ArgumentOutOfRangeException.ThrowIfLessThan(leaseDuration, TimeSpan.FromMilliseconds(1));
        cancellationToken.ThrowIfCancellationRequested();

        SlotResult result;
        long reclaimed;
        long freed;
        lock (_gate)
        {
            var now = NowMicroseconds();
            reclaimed = RemoveExpiredLeases(now);
            foreach (var lapsed in _waiters.Where(waiter => waiter.Value.Expiry <= now).Select(waiter => waiter.Key).ToList())
            {
                _waiters.Remove(lapsed);
            }

            var acquired = _leases.ContainsKey(callId);
            if (!acquired && double.IsNaN(queueOrder))
            {
                acquired = maxSlots - _leases.Count > _waiters.Count;
            }
            else if (!acquired)
            {
                var order = _waiters.TryGetValue(callId, out var waiting) ? waiting.Order : queueOrder;
                _waiters[callId] = (order, now + (ICallCapacity.WaiterLifetime.Ticks / TimeSpan.TicksPerMicrosecond));
                var free = maxSlots - _leases.Count;
                var ahead = _waiters.Count(waiter => waiter.Value.Order < order
                    || (waiter.Value.Order == order && string.CompareOrdinal(waiter.Key, callId) < 0));
                acquired = free > 0 && ahead < free;
            }

            if (acquired)
            {
                _waiters.Remove(callId);
                _leases[callId] = now + (leaseDuration.Ticks / TimeSpan.TicksPerMicrosecond);
            }

            result = new SlotResult(acquired, _leases.Count);
            freed = Math.Max(0, Math.Min(reclaimed, maxSlots - _leases.Count));
        }

        if (reclaimed > 0)
        {
            Log.LeasesReclaimed(_logger, reclaimed);
        }

        _freed.Wake(freed);
        return Task.FromResult(result);
    }

    public Task LeaveSlotQueueAsync(string callId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(callId);
        bool removed;
        lock (_gate)
        {
            removed = _waiters.Remove(callId);
        }

        if (removed)
        {
            _freed.Wake(1);
        }

        return Task.CompletedTask;
    }

    public Task ReleaseSlotAsync(string callId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(callId);
        cancellationToken.ThrowIfCancellationRequested();

        bool removed;
        lock (_gate)
        {
            removed = _leases.Remove(callId);
        }

        if (removed)
        {
            _freed.Wake(1);
        }

        return Task.CompletedTask;
    }

    public Task WaitForFreedSlotAsync(TimeSpan timeout, CancellationToken cancellationToken) => _freed.WaitAsync(timeout, cancellationToken);

    public Task<TimeSpan> TryTakeRateTokenAsync(double perSecond, CancellationToken cancellationToken)
    {
        var interval = RateSchedule.IntervalMicroseconds(perSecond);
        cancellationToken.ThrowIfCancellationRequested();

        lock (_gate)
        {
            var now = NowMicroseconds();
            if (_theoreticalArrival > now)
            {
                return Task.FromResult(RateSchedule.RetryAfter(_theoreticalArrival - now));
            }

            _theoreticalArrival = Math.Max(_theoreticalArrival + interval, now + interval - RateSchedule.LatenessMicroseconds(interval));
            _grants.Enqueue(now);
            TrimGrants(now - RateSchedule.GrantsRetentionMicroseconds);
            return Task.FromResult(TimeSpan.Zero);
        }
    }

    public Task<long> CountSlotsAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var now = NowMicroseconds();
            return Task.FromResult((long)_leases.Values.Count(expiry => expiry > now));
        }
    }

    public Task<long> CountGrantsAsync(TimeSpan window, CancellationToken cancellationToken)
    {
        RateSchedule.ValidateWindow(window);
        lock (_gate)
        {
            var since = NowMicroseconds() - (window.Ticks / TimeSpan.TicksPerMicrosecond);
            return Task.FromResult((long)_grants.Count(granted => granted > since));
        }
    }

    private long NowMicroseconds() => _time.GetElapsedTime(_origin).Ticks / TimeSpan.TicksPerMicrosecond;

    private long RemoveExpiredLeases(long now)
    {
        var expired = _leases.Where(lease => lease.Value <= now).Select(lease => lease.Key).ToList();
        foreach (var callId in expired)
        {
            _leases.Remove(callId);
        }

        return expired.Count;
    }

    private void TrimGrants(long before)
    {
        while (_grants.TryPeek(out var oldest) && oldest < before)
        {
            _grants.Dequeue();
        }
    }
}
