using System.Globalization;
using CallQueue.Jobs.Calls;
using StackExchange.Redis;

namespace CallQueue.Jobs.Safety;

/// <summary>
/// The number gate in Redis: one script per dial decides the do-not-call list and the number rules together and takes the
/// number (<see cref="NumberGuardScripts"/>). Keys, under the hash tag of REDIS_KEY_PREFIX like every other (one cluster
/// slot; each key is passed in KEYS), per number's digits:
/// <list type="table">
/// <item><term>{p}:num:live:{digits}</term><description>string: the call holding the number; TTL its slot's lease (a dead worker frees it).</description></item>
/// <item><term>{p}:num:gap:{digits}</term><description>string: when its last attempt ended; TTL NUMBER_MIN_GAP_SECONDS.</description></item>
/// <item><term>{p}:num:day:{digits}</term><description>sorted set: attempts in the last 24 h (MAX_ATTEMPTS_PER_NUMBER_PER_DAY); TTL 24 h.</description></item>
/// <item><term>{p}:num:day:{digits}:{campaign}</term><description>sorted set: the same per campaign, where the law caps it (FL, OK, MD); TTL 24 h.</description></item>
/// <item><term>{p}:num:wait:{digits}</term><description>set: job ids of calls held because the number was busy, woken when it frees.</description></item>
/// </list>
/// Nothing is kept for a number that is not being called: every key expires.
/// </summary>
public sealed class RedisNumberGuard(IConnectionMultiplexer redis, string keyPrefix) : INumberGuard
{
    private readonly DoNotCallKeys _dnc = new(keyPrefix);
    private readonly string _prefix = "{" + keyPrefix + "}:num:";

    public async Task<NumberVerdict> TryTakeAsync(NumberClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var digits = DoNotCallKeys.Digits(claim.PhoneNumber);
        RedisKey[] keys =
        [
            _dnc.Bucket(claim.PhoneNumber), _dnc.Long, Live(digits), Gap(digits), Day(digits), CampaignDay(digits, claim.CampaignId), Waiters(digits),
        ];
        RedisValue[] args =
        [
            DoNotCallKeys.Field(claim.PhoneNumber), digits, claim.CampaignId, claim.CallId, claim.Member,
            Milliseconds(claim.Lease), claim.Limits.OneCallPerNumber ? 1 : 0, claim.Limits.MaxPerDay, claim.Limits.CampaignMaxPerDay,
            claim.JobId ?? string.Empty,
        ];
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(NumberGuardScripts.TryTake.ExecutableScript, keys, args))!;
        var rule = (string)result[0]!;
        var wait = TimeSpan.FromMilliseconds(Math.Max((long)result[1], 0));
        var detail = (string?)result[2];
        return rule switch
        {
            "" => NumberVerdict.Taken,
            "do_not_call" => new NumberVerdict(SafetyRule.DoNotCall, TimeSpan.Zero, DoNotCallEncoding.DecodeEntry(detail!), null),
            "number_busy" => new NumberVerdict(SafetyRule.NumberBusy, wait, null, detail),
            "number_gap" => new NumberVerdict(SafetyRule.NumberGap, wait, null, null),
            _ => new NumberVerdict(SafetyRule.NumberCap, wait, null, null),
        };
    }

    public async Task<IReadOnlyList<string>> ReleaseAsync(
        string callId, string phoneNumber, string campaignId, TimeSpan minGap, int? unusedAttempt, CancellationToken cancellationToken)
    {
        var digits = DoNotCallKeys.Digits(phoneNumber);
        RedisKey[] keys = [Live(digits), Gap(digits), Day(digits), CampaignDay(digits, campaignId), Waiters(digits)];
        RedisValue[] args =
        [
            callId, Milliseconds(minGap),
            unusedAttempt is { } attempt ? string.Create(CultureInfo.InvariantCulture, $"{callId}:{attempt}") : string.Empty,
        ];
        var waiters = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(NumberGuardScripts.Release.ExecutableScript, keys, args))!;
        return waiters.Select(waiter => (string)waiter!).ToList();
    }

    private static long Milliseconds(TimeSpan span) => (long)Math.Ceiling(span.TotalMilliseconds);

    private string Live(string digits) => _prefix + "live:" + digits;

    private string Gap(string digits) => _prefix + "gap:" + digits;

    private string Day(string digits) => _prefix + "day:" + digits;

    private string CampaignDay(string digits, string campaignId) => _prefix + "day:" + digits + ":" + campaignId;

    private string Waiters(string digits) => _prefix + "wait:" + digits;
}
