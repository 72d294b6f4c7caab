using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using StackExchange.Redis;

namespace CallQueue.Bench;

/// <summary>
/// Issue 12, two measurements on one service (redis-server, the sandbox answering every call at once for
/// SANDBOX_TALK_SECONDS, calling hours off as in the other throughput benches):
/// <list type="number">
/// <item>ETA against reality: --calls (600) calls of one campaign at RATE_LIMIT_PER_SECOND --rate and MAX_CONCURRENT_CALLS
/// --max-concurrent; the ETA GET /api/campaigns/{id} gives right after the bulk is accepted, against the time the
/// sandbox received the campaign's last create-call request.</item>
/// <item>What a paused campaign costs: --paused (100,000) calls of a campaign paused before they are queued; the time the
/// workers take to park them all (each job fetched once), then Redis commands per second while they wait (INFO
/// total_commands_processed over --idle-seconds), against the same service idle and empty.</item>
/// </list>
/// </summary>
internal static class CampaignsScenario
{
    public static async Task<int> RunAsync(string root, BenchArgs args)
    {
        var calls = args.Int("calls", 600);
        var rate = args.Int("rate", 10);
        var maxConcurrent = args.Int("max-concurrent", 50);
        var paused = args.Int("paused", 100_000);
        var idleSeconds = args.Int("idle-seconds", 20);
        await using var host = await BenchHost.StartAsync(root, new Dictionary<string, string>
        {
            ["RATE_LIMIT_PER_SECOND"] = rate.ToString(CultureInfo.InvariantCulture),
            ["MAX_CONCURRENT_CALLS"] = maxConcurrent.ToString(CultureInfo.InvariantCulture),
            ["SANDBOX_RING_SECONDS"] = "0",
            ["SANDBOX_TALK_SECONDS"] = "2",
            ["SANDBOX_ANSWER_RATIO"] = "1",
            ["SANDBOX_BUSY_RATIO"] = "0",
            ["SANDBOX_NO_ANSWER_RATIO"] = "0",
            ["SANDBOX_HISTORY_LIMIT"] = "100000",
        });
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(300) };
        var server = host.Redis.GetServer("127.0.0.1", host.RedisPort);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"campaigns: RATE_LIMIT_PER_SECOND {rate}, MAX_CONCURRENT_CALLS {maxConcurrent}, QUEUE_WORKERS 10, sandbox talk 2 s; {Environment.ProcessorCount} cores"));

        // 1. The ETA at the start against the measured finish.
        await PostBatchAsync(http, "eta", "eta-0", calls);
        var given = DateTimeOffset.UtcNow;
        using (var progress = JsonDocument.Parse(await http.GetStringAsync(new Uri("api/campaigns/eta", UriKind.Relative))))
        {
            var eta = progress.RootElement.GetProperty("eta");
            var placedBy = eta.GetProperty("placed_by").GetDateTimeOffset();
            Console.WriteLine($"eta given       {eta}");
            await WaitAsync(async () => await CampaignAttemptsAsync(http, "eta") >= calls, TimeSpan.FromMinutes(30));
            DateTimeOffset? last = null;
            await WaitAsync(async () => (last = await LastRequestAsync(http, calls)) is not null, TimeSpan.FromMinutes(1));
            var predicted = (placedBy - given).TotalSeconds;
            var measured = (last!.Value - given).TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"eta vs reality  {calls} calls: ETA said placed {predicted:F1} s after the start, the last create-call request came {measured:F1} s after it: error {100 * (predicted - measured) / measured:+0.0;-0.0} % (target within 10 %)"));
        }

        // 2. A paused campaign's cost while it waits.
        var empty = await Probes.CommandsPerSecondAsync(server, idleSeconds);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"idle            redis {empty:F1} commands/s (the service idle, {calls} calls over)"));
        await PostBatchAsync(http, "held", "held-seed", 1);
        using (var pause = await http.PostAsync(new Uri("api/campaigns/held/pause", UriKind.Relative), content: null))
        {
            if (pause.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"pause answered {(int)pause.StatusCode}: {await pause.Content.ReadAsStringAsync()}");
            }
        }

        var parking = Stopwatch.StartNew();
        for (var batch = 0; batch * 10_000 < paused; batch++)
        {
            await PostBatchAsync(http, "held", FormattableString.Invariant($"held-{batch}"), Math.Min(10_000, paused - (batch * 10_000)));
        }

        var parked = (RedisKey)("{" + BenchHost.KeyPrefix + "}:parked:campaign:held");
        var db = host.Redis.GetDatabase();
        await WaitAsync(async () => await db.SortedSetLengthAsync(parked) >= paused + 1, TimeSpan.FromMinutes(60));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"parking         {paused + 1:N0} calls queued to the paused campaign and every job parked after {parking.Elapsed.TotalSeconds:F1} s ({(paused + 1) / parking.Elapsed.TotalSeconds:F0}/s, each job fetched once)"));
        var waiting = await Probes.CommandsPerSecondAsync(server, idleSeconds);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"paused, waiting redis {waiting:F1} commands/s with {paused + 1:N0} calls parked ({waiting - empty:+0.0;-0.0} vs idle)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"redis memory    used_memory {Probes.UsedMemory(server) / 1_048_576.0:F1} MiB"));
        return 0;
    }

    private static async Task PostBatchAsync(HttpClient http, string campaign, string batchId, int count)
    {
        using var content = new StringContent(CallBodies.Batch(batchId, count, campaign), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri("api/calls/bulk-queue", UriKind.Relative), content);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"bulk-queue answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task<long> CampaignAttemptsAsync(HttpClient http, string campaign)
    {
        using var progress = JsonDocument.Parse(await http.GetStringAsync(new Uri($"api/campaigns/{campaign}", UriKind.Relative)));
        return progress.RootElement.GetProperty("attempts").GetInt64();
    }

    /// <summary>When the sandbox accepted the last of <paramref name="expected"/> create-call requests; null while fewer came.</summary>
    private static async Task<DateTimeOffset?> LastRequestAsync(HttpClient http, int expected)
    {
        using var requests = JsonDocument.Parse(await http.GetStringAsync(new Uri("sandbox/control/requests", UriKind.Relative)));
        var accepted = requests.RootElement.EnumerateArray()
            .Where(r => r.TryGetProperty("response_status", out var s) && s.ValueKind == JsonValueKind.Number && s.GetInt32() == 201)
            .Select(r => r.GetProperty("received_at").GetDateTimeOffset())
            .ToList();
        return accepted.Count < expected ? null : accepted.Max();
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not done within {timeout}");
            }

            await Task.Delay(100);
        }
    }
}
