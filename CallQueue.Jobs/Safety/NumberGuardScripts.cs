using StackExchange.Redis;

namespace CallQueue.Jobs.Safety;

/// <summary>
/// The Lua of <see cref="RedisNumberGuard"/> (keys: its class comment). The clock is Redis' (<c>TIME</c>), shared by every
/// process; integers leave Lua through <c>string.format('%.0f')</c>.
/// </summary>
internal static class NumberGuardScripts
{
    // KEYS: 1 dnc bucket, 2 dnc side hash, 3 live, 4 gap, 5 day, 6 campaign day, 7 waiters.
    // ARGV: 1 dnc field, 2 digits, 3 campaign id, 4 call id, 5 attempt member, 6 lease (ms), 7 one call per number (1/0),
    // 8 cap per day (0 none), 9 campaign cap per day (0 none), 10 job id ('' none).
    // Returns {rule, wait ms, detail}: rule '' = taken; 'do_not_call' (detail: the entry), 'number_busy' (detail: the live
    // call id; the job joins the number's waiters), 'number_gap', 'number_cap'.
    public static readonly LuaScript TryTake = LuaScript.Prepare(
        DoNotCallScripts.CheckFunctionLua +
        """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local day = 86400000
        local blocking = dnc_blocking(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3])
        if blocking then return {'do_not_call', 0, blocking} end
        if ARGV[7] == '1' then
          local live = redis.call('GET', KEYS[3])
          if live and live ~= ARGV[4] then
            local ttl = redis.call('PTTL', KEYS[3])
            if ARGV[10] ~= '' then
              redis.call('SADD', KEYS[7], ARGV[10])
              redis.call('PEXPIRE', KEYS[7], string.format('%.0f', math.max(ttl, 0) + day))
            end
            return {'number_busy', ttl, live}
          end
        end
        local gap = redis.call('PTTL', KEYS[4])
        if gap > 0 then return {'number_gap', gap, ''} end
        local function capped(key, cap)
          if cap <= 0 then return false end
          redis.call('ZREMRANGEBYSCORE', key, '-inf', string.format('%.0f', now - day))
          if redis.call('ZSCORE', key, ARGV[5]) then return false end
          if redis.call('ZCARD', key) < cap then return false end
          local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
          return math.max(tonumber(oldest[2]) + day - now, 1)
        end
        local wait = capped(KEYS[5], tonumber(ARGV[8])) or capped(KEYS[6], tonumber(ARGV[9]))
        if wait then return {'number_cap', wait, ''} end
        if ARGV[7] == '1' then redis.call('SET', KEYS[3], ARGV[4], 'PX', ARGV[6]) end
        for i = 5, 6 do
          if tonumber(ARGV[3 + i]) > 0 then
            redis.call('ZADD', KEYS[i], string.format('%.0f', now), ARGV[5])
            redis.call('PEXPIRE', KEYS[i], day)
          end
        end
        return {'', 0, ''}
        """);

    // KEYS: 1 live, 2 gap, 3 day, 4 campaign day, 5 waiters. ARGV: 1 call id, 2 gap (ms), 3 unused attempt member
    // ('' = the attempt was made). Frees the number if this call holds it, starts the gap after a made attempt, uncounts
    // an unused one. Returns the waiters' job ids once the number is free (and forgets them).
    public static readonly LuaScript Release = LuaScript.Prepare(
        """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
        if ARGV[3] ~= '' then
          redis.call('ZREM', KEYS[3], ARGV[3])
          redis.call('ZREM', KEYS[4], ARGV[3])
        elseif tonumber(ARGV[2]) > 0 then
          redis.call('SET', KEYS[2], string.format('%.0f', now), 'PX', ARGV[2])
        end
        if redis.call('EXISTS', KEYS[1]) == 1 then return {} end
        local waiters = redis.call('SMEMBERS', KEYS[5])
        redis.call('DEL', KEYS[5])
        return waiters
        """);
}
