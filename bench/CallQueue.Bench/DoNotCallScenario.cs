using System.Diagnostics;
using System.Globalization;
using CallQueue.Jobs.Safety;
using StackExchange.Redis;

namespace CallQueue.Bench;

/// <summary>
/// Issue 11: Redis memory per number on the do-not-call list. A fresh redis-server; N distinct random Indian mobile
/// numbers (+91 6–9 and nine digits: 12 digits, as the reference measured) listed through <see cref="RedisDoNotCallList"/>'s
/// own AddAsync in requests of 100,000 (the API's maximum); bytes per number = INFO used_memory after minus before,
/// over N. Also: how many buckets are not listpacks, and the dial-time check's round trip (IsBlockedAsync, the Lua the
/// gate folds in).
/// </summary>
internal static class DoNotCallScenario
{
    private const int Request = 100_000;

    public static async Task<int> RunAsync(BenchArgs options)
    {
        var count = options.Int("numbers", 1_000_000);
        var reason = options.Text("reason", string.Empty);
        var campaign = options.Text("campaign", string.Empty);
        await using var host = await BenchHost.StartRedisOnlyAsync();
        var server = host.Redis.GetServer(host.Redis.GetEndPoints()[0]);
        var version = server.Info("server").SelectMany(group => group).First(pair => pair.Key == "redis_version").Value;
        var list = new RedisDoNotCallList(host.Redis, "callqueue");
        var numbers = RandomNumbers(count, seed: 11);
        var entry = new DoNotCallEntry(campaign.Length == 0 ? null : campaign, reason.Length == 0 ? null : reason, DoNotCallSource.Api, DateTimeOffset.UtcNow);

        var before = UsedMemory(server);
        var started = Stopwatch.GetTimestamp();
        var added = 0;
        foreach (var chunk in numbers.Chunk(Request))
        {
            added += (await list.AddAsync(chunk, entry, CancellationToken.None)).Count(flag => flag);
        }

        var loadSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var after = UsedMemory(server);
        var (buckets, notListpack) = await CountBucketsAsync(host.Redis, server);

        var checks = numbers.Take(10_000).ToList();
        started = Stopwatch.GetTimestamp();
        var blocked = 0;
        foreach (var number in checks)
        {
            blocked += await list.IsBlockedAsync(number, "any-campaign", CancellationToken.None) is null ? 0 : 1;
        }

        var checkMicroseconds = Stopwatch.GetElapsedTime(started).TotalMicroseconds / checks.Count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"redis {version}: {added:N0} of {count:N0} numbers listed (scope {entry.Scope}, reason '{reason}') in {loadSeconds:F1} s ({added / loadSeconds:N0} numbers/s)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"redis     used_memory {before / 1048576.0:F1} MB -> {after / 1048576.0:F1} MB: {(after - before) / (double)added:F1} bytes per listed number (target <= 16)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"buckets   {buckets:N0} ({added / (double)Math.Max(1, buckets):F1} numbers each), {notListpack} not in listpack encoding"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"check     {checkMicroseconds:F0} µs per IsBlockedAsync (one round trip, sequential), {blocked:N0} of {checks.Count:N0} blocked"));
        await MeasureGateAsync(host.Redis);
        return added == count && blocked == checks.Count ? 0 : 1;
    }

    /// <summary>
    /// The whole dial-time gate per dial, beside the list above: the calling-hours and deadline check of a call (CPU:
    /// libphonenumber's zone and place, the window; no storage) and the number gate (one Lua script: the do-not-call
    /// check, one call per number, gap and caps, and taking the number), then giving the number back (one more script,
    /// at the attempt's end). Sequential, so each figure is one round trip's latency, not throughput.
    /// </summary>
    private static async Task MeasureGateAsync(ConnectionMultiplexer redis)
    {
        var safety = new CallSafety(new CallingHours(CallingHoursPolicy.Default, TimeProvider.System));
        var calls = RandomNumbers(10_000, seed: 12).Select((number, i) => new CallQueue.Jobs.Calls.CallRecord
        {
            CallId = FormattableString.Invariant($"gate-{i}"),
            PhoneNumber = number,
            CampaignId = "bench",
            Config = new CallQueue.Jobs.Calls.CallConfig { AnswerUrl = "https://example.com/answer" },
        }).ToList();
        var at = DateTimeOffset.UtcNow;
        var started = Stopwatch.GetTimestamp();
        var open = 0;
        for (var round = 0; round < 10; round++)
        {
            foreach (var call in calls)
            {
                open += safety.Check(call, at) is null ? 1 : 0;
            }
        }

        var checkMicroseconds = Stopwatch.GetElapsedTime(started).TotalMicroseconds / (calls.Count * 10);
        var guard = new RedisNumberGuard(redis, "callqueue");
        var limits = new NumberLimits(OneCallPerNumber: true, MinGap: TimeSpan.FromSeconds(60), MaxPerDay: 3, CampaignMaxPerDay: 3);
        var take = new List<double>(calls.Count);
        var release = new List<double>(calls.Count);
        foreach (var call in calls)
        {
            started = Stopwatch.GetTimestamp();
            var verdict = await guard.TryTakeAsync(new NumberClaim(call.CallId, call.PhoneNumber, call.CampaignId, 1, "job", TimeSpan.FromMinutes(62), limits), CancellationToken.None);
            take.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
            if (verdict.Rule is not (null or CallQueue.Jobs.Calls.SafetyRule.DoNotCall))
            {
                // A random number may be one of the million listed above (a few are): that is a block, not a fault.
                throw new InvalidOperationException($"the gate refused a fresh number: {verdict.Rule}");
            }

            started = Stopwatch.GetTimestamp();
            await guard.ReleaseAsync(call.CallId, call.PhoneNumber, call.CampaignId, TimeSpan.FromSeconds(60), unusedAttempt: null, CancellationToken.None);
            release.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"gate      calling hours + deadline {checkMicroseconds:F1} µs per call (CPU, {open:N0} of {calls.Count * 10:N0} open now); number gate with do-not-call, one call per number, gap and both caps: take p50 {Stats.Percentile(take, 50):F0} µs p99 {Stats.Percentile(take, 99):F0} µs, give back p50 {Stats.Percentile(release, 50):F0} µs p99 {Stats.Percentile(release, 99):F0} µs (one script each; the do-not-call check has no round trip of its own)"));
    }

    private static List<string> RandomNumbers(int count, int seed)
    {
        var random = new Random(seed);
        var numbers = new HashSet<string>(count, StringComparer.Ordinal);
        while (numbers.Count < count)
        {
            numbers.Add(string.Create(CultureInfo.InvariantCulture, $"+91{random.Next(6, 10)}{random.Next(0, 1_000_000_000):D9}"));
        }

        return [.. numbers];
    }

    private static async Task<(int Buckets, int NotListpack)> CountBucketsAsync(ConnectionMultiplexer redis, IServer server)
    {
        var db = redis.GetDatabase();
        var keys = new List<RedisKey>();
        await foreach (var key in server.KeysAsync(pattern: "{callqueue}:dnc:*", pageSize: 5000))
        {
            keys.Add(key);
        }

        var encodings = await Task.WhenAll(keys.Select(key => db.ExecuteAsync("OBJECT", "ENCODING", key)));
        return (keys.Count, encodings.Count(encoding => (string?)encoding != "listpack"));
    }

    private static long UsedMemory(IServer server) =>
        long.Parse(server.Info("memory").SelectMany(group => group).First(pair => pair.Key == "used_memory").Value, CultureInfo.InvariantCulture);
}
