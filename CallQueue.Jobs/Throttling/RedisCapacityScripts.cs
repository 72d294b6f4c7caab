using StackExchange.Redis;

namespace CallQueue.Jobs.Throttling;

/// <summary>
/// The Lua of <see cref="RedisCallCapacity"/> (keys: its class comment). Every script reads the clock with
/// <c>redis.call('TIME')</c>, so all processes share one clock and host clocks never matter. Integers go to Redis through
/// <c>string.format('%.0f')</c>: Lua numbers are doubles, and their default formatting loses digits of µs timestamps.
/// </summary>
internal static class RedisCapacityScripts
{
    // KEYS[1] = slots, KEYS[2] = waiting line (order), KEYS[3] = waiting line (expiry). ARGV: call id, max slots,
    // lease (ms), channel, instance id, key grace (ms), queue order ('' = do not queue), waiter lifetime (ms).
    // Sweeps expired leases and waiters, then renews the call's lease, or takes a free slot if the call is within the
    // first (free slots) places of the waiting line it joins. Announces reclaimed leases that left room for others on the
    // channel ("{count} {instance id}"). Returns acquired (1/0), live leases, reclaimed, announced.
    public static readonly LuaScript Acquire = LuaScript.Prepare(
        """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local max = tonumber(ARGV[2])
        local id = ARGV[1]
        local expiry = string.format('%.0f', now + tonumber(ARGV[3]))
        local reclaimed = redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now))
        local stale = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', string.format('%.0f', now), 'LIMIT', 0, 1000)
        for _, member in ipairs(stale) do
          redis.call('ZREM', KEYS[2], member)
          redis.call('ZREM', KEYS[3], member)
        end
        local acquired = 0
        if redis.call('ZSCORE', KEYS[1], id) then
          redis.call('ZADD', KEYS[1], 'XX', expiry, id)
          acquired = 1
        else
          local free = max - redis.call('ZCARD', KEYS[1])
          if ARGV[7] == '' then
            -- Not queuing: a slot only if it leaves one for everybody in line.
            if free > redis.call('ZCARD', KEYS[2]) then
              redis.call('ZADD', KEYS[1], expiry, id)
              acquired = 1
            end
          else
            redis.call('ZADD', KEYS[2], 'NX', ARGV[7], id)
            redis.call('ZADD', KEYS[3], string.format('%.0f', now + tonumber(ARGV[8])), id)
            if free > 0 and redis.call('ZRANK', KEYS[2], id) < free then
              redis.call('ZADD', KEYS[1], expiry, id)
              acquired = 1
            end
          end
        end
        if acquired == 1 then
          redis.call('ZREM', KEYS[2], id)
          redis.call('ZREM', KEYS[3], id)
          local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
          redis.call('PEXPIRE', KEYS[1], string.format('%.0f', tonumber(last[2]) - now + tonumber(ARGV[6])))
        end
        for i = 2, 3 do
          if redis.call('ZCARD', KEYS[i]) > 0 then
            redis.call('PEXPIRE', KEYS[i], string.format('%.0f', tonumber(ARGV[8]) + tonumber(ARGV[6])))
          end
        end
        local active = redis.call('ZCARD', KEYS[1])
        local freed = math.min(reclaimed, max - active)
        if freed > 0 then
          redis.call('PUBLISH', ARGV[4], string.format('%.0f', freed) .. ' ' .. ARGV[5])
        else
          freed = 0
        end
        return {acquired, active, reclaimed, freed}
        """);

    // KEYS[1] = waiting line (order), KEYS[2] = waiting line (expiry). ARGV: call id, channel, instance id.
    // Leaving may put others within reach of a free slot: they are woken.
    public static readonly LuaScript Leave = LuaScript.Prepare(
        """
        local removed = redis.call('ZREM', KEYS[1], ARGV[1])
        redis.call('ZREM', KEYS[2], ARGV[1])
        if removed == 1 then
          redis.call('PUBLISH', ARGV[2], '1 ' .. ARGV[3])
        end
        return removed
        """);

    // KEYS[1] = slots. ARGV: call id, channel, instance id. Returns 1 if the call held a slot, else 0.
    public static readonly LuaScript Release = LuaScript.Prepare(
        """
        local removed = redis.call('ZREM', KEYS[1], ARGV[1])
        if removed == 1 then
          redis.call('PUBLISH', ARGV[2], '1 ' .. ARGV[3])
        end
        return removed
        """);

    // KEYS[1] = slots. Returns the leases that have not expired (expired ones may linger until the next acquire).
    public static readonly LuaScript CountSlots = LuaScript.Prepare(
        """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        return redis.call('ZCOUNT', KEYS[1], string.format('(%.0f', now), '+inf')
        """);

    // KEYS[1] = rate (TAT), KEYS[2] = grants log. ARGV: interval T' (µs), lateness L (µs), grants retention (µs).
    // GCRA with τ = 0 (RateSchedule): grants iff TAT <= now, then TAT = max(TAT + T', now + T' - L). Returns 0 when
    // granted, else the µs to wait (nothing is consumed).
    public static readonly LuaScript TakeRateToken = LuaScript.Prepare(
        """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local interval = tonumber(ARGV[1])
        local retention = tonumber(ARGV[3])
        local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
        if tat > now then
          return tat - now
        end
        local next_tat = math.max(tat + interval, now + interval - tonumber(ARGV[2]))
        redis.call('SET', KEYS[1], string.format('%.0f', next_tat), 'PX', string.format('%.0f', math.ceil((next_tat - now) / 1000) + 1000))
        local stamp = string.format('%.0f', now)
        redis.call('ZADD', KEYS[2], stamp, stamp)
        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', string.format('(%.0f', now - retention))
        redis.call('PEXPIRE', KEYS[2], string.format('%.0f', retention / 1000))
        return 0
        """);

    // KEYS[1] = grants log. ARGV: window (µs). Returns the grants of the last window.
    public static readonly LuaScript CountGrants = LuaScript.Prepare(
        """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        return redis.call('ZCOUNT', KEYS[1], string.format('(%.0f', now - tonumber(ARGV[1])), '+inf')
        """);
}
