using StackExchange.Redis;

namespace CallQueue.Jobs.Safety;

/// <summary>
/// The do-not-call list's Lua (layout: <see cref="DoNotCallKeys"/>, values: <see cref="DoNotCallEncoding"/>; in Lua
/// <c>\29</c>, <c>\30</c>, <c>\31</c> are the marker and the two separators).
/// </summary>
internal static class DoNotCallScripts
{
    /// <summary>
    /// The dial-time check as a Lua function, to be pasted into the dial gate's script: <c>dnc_blocking(bucket, side,
    /// field, digits, campaign)</c> with the number's bucket and the side hash (both must be among the script's KEYS),
    /// its field and digits (<see cref="DoNotCallKeys"/>) and the call's campaign id ('' for none). Returns the blocking
    /// entry (the integer form or one text entry, global preferred; decode it with
    /// <see cref="DoNotCallEncoding.DecodeEntry"/>), or false. Two HGETs at most (the second only for a number kept in
    /// the side hash), no round trip of its own.
    /// </summary>
    public const string CheckFunctionLua =
        """
        local function dnc_blocking(bucket, side, field, digits, campaign)
          local v = redis.call('HGET', bucket, field)
          if not v then return false end
          if v == '\29' then v = redis.call('HGET', side, digits) or '' end
          if string.find(v, '^%d+$') then return v end
          local found = false
          for entry in string.gmatch(v, '[^\30]+') do
            local scope = string.match(entry, '^[^\31]*')
            if scope == '' then return entry end
            if not found and campaign ~= '' and scope == campaign then found = entry end
          end
          return found
        end

        """;

    /// <summary>The check on its own: KEYS[1] = bucket, KEYS[2] = side hash; ARGV[1] = field, ARGV[2] = digits, ARGV[3] = campaign id or ''.</summary>
    public const string CheckLua = CheckFunctionLua + "return dnc_blocking(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3])";

    public static readonly LuaScript Check = LuaScript.Prepare(CheckLua);

    /// <summary>
    /// Compare-and-set of numbers' entries, all or none per number. KEYS[1] = the side hash, KEYS[1 + i] = number i's
    /// bucket. ARGV per number (5): field, digits, the value read ('' when absent; the marker followed by the side
    /// hash's value when kept there), the new bucket value ('' deletes the field), the new side value ('' deletes it).
    /// Returns 1 per number written, 0 per number changed since it was read.
    /// </summary>
    public static readonly LuaScript CompareAndSet = LuaScript.Prepare(
        """
        local out = {}
        local n = 0
        for i = 1, #ARGV, 5 do
          n = n + 1
          local bucket, field, digits = KEYS[1 + n], ARGV[i], ARGV[i + 1]
          local current = redis.call('HGET', bucket, field) or ''
          if current == '\29' then current = current .. (redis.call('HGET', KEYS[1], digits) or '') end
          if current ~= ARGV[i + 2] then
            out[n] = 0
          else
            if ARGV[i + 3] == '' then redis.call('HDEL', bucket, field) else redis.call('HSET', bucket, field, ARGV[i + 3]) end
            if ARGV[i + 4] ~= '' then
              redis.call('HSET', KEYS[1], digits, ARGV[i + 4])
            elseif string.sub(current, 1, 1) == '\29' then
              redis.call('HDEL', KEYS[1], digits)
            end
            out[n] = 1
          end
        end
        return out
        """);
}
