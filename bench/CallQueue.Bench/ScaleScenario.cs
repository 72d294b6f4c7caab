using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using StackExchange.Redis;

namespace CallQueue.Bench;

/// <summary>
/// Scenario 3, scale (issues 7 and 15): --batches bulk batches of --batch-size calls (10 x 10,000 by default; 100 for the
/// million of issue 15) queued with QUEUE_WORKERS=0 so nothing drains while measuring. Prints the ingest time (every
/// 202, then every dial job created: GET /api/batches/{id} until awaiting_job is 0), Redis memory per queued call (INFO
/// used_memory after minus before) and where it sits (MEMORY USAGE per key kind), the service's RSS, and p99s of
/// GET /api/queue/status and /api/calls/active, of the Hangfire dashboard's home, Enqueued and Scheduled pages (real
/// HTTP with the operator's basic auth; one more batch, scheduled a day ahead, fills the Scheduled page) and of
/// GET /api/campaigns/{id}/calls' first and 100th page (following next_cursor). Last, a second service process with 20
/// dial workers and caps far away (the sandbox answering at once) starts on the same Redis: the time it takes to drain
/// the first --drain calls.
/// </summary>
internal static partial class ScaleScenario
{
    private const int SampledKeysPerKind = 1_000;
    private const string Campaign = "bench";
    private const string DashboardUser = "operator";
    private const string DashboardPassword = "bench-operator-password";

    public static async Task<int> RunAsync(string root, BenchArgs args)
    {
        var batches = args.Int("batches", 10);
        var batchSize = args.Int("batch-size", 10_000);
        var requests = args.Int("requests", 300);
        var pageRequests = args.Int("page-requests", 50);
        var rounds = args.Int("rounds", 3);
        var drain = args.Int("drain", 10_000);
        var calls = batches * batchSize;
        var redisConfig = args.Text("redis-config", string.Empty);

        await using var host = await BenchHost.StartAsync(
            root,
            new Dictionary<string, string>
            {
                ["QUEUE_WORKERS"] = "0",
                ["DASHBOARD_USERNAME"] = DashboardUser,
                ["DASHBOARD_PASSWORD"] = DashboardPassword,
                ["AUTH_FAILURES_PER_MINUTE"] = "1000",
            },
            redisConfig.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
        var server = host.Redis.GetServer("127.0.0.1", host.RedisPort);
        var db = host.Redis.GetDatabase();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"scale: {batches} x {batchSize:N0} calls bulk-queued, QUEUE_WORKERS=0; {rounds} rounds x {requests} sequential requests per API endpoint, {pageRequests} per dashboard or campaign page; redis-server {(redisConfig.Length == 0 ? "defaults" : redisConfig)}; {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg")[..14]}"));

        await Task.Delay(TimeSpan.FromSeconds(2));
        var (statusEmpty, activeEmpty) = (await MeasureAsync(http, "api/queue/status", requests), await MeasureAsync(http, "api/calls/active", requests));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"empty     GET /api/queue/status p50 {Stats.Percentile(statusEmpty, 50):F2} ms p99 {Stats.Percentile(statusEmpty, 99):F2} ms | GET /api/calls/active p50 {Stats.Percentile(activeEmpty, 50):F2} ms p99 {Stats.Percentile(activeEmpty, 99):F2} ms | RSS {Probes.Rss(host.ServicePid)}"));

        var before = Probes.UsedMemory(server);
        var keysBefore = await server.DatabaseSizeAsync();
        var batchIds = Enumerable.Range(0, batches).Select(batch => FormattableString.Invariant($"scale-{batch}")).ToList();
        var ingest = Stopwatch.StartNew();
        foreach (var batchId in batchIds)
        {
            await PostBatchAsync(http, CallBodies.Batch(batchId, batchSize, Campaign));
        }

        var accepted = ingest.Elapsed;
        await WaitForJobsAsync(http, batchIds);
        var jobsCreated = ingest.Elapsed;
        var queued = await db.ListLengthAsync("{" + BenchHost.KeyPrefix + "}:hangfire:queue:normal");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ingest    {calls:N0} calls: every 202 after {accepted.TotalSeconds:F1} s ({accepted.TotalSeconds / batches:F2} s per batch of {batchSize:N0}); every dial job created after {jobsCreated.TotalSeconds:F1} s ({calls / jobsCreated.TotalSeconds:F0} calls/s); {queued:N0} dial jobs enqueued"));
        await Task.Delay(TimeSpan.FromSeconds(2));
        var after = Probes.UsedMemory(server);
        var keysAfter = await server.DatabaseSizeAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"redis     used_memory {before / 1048576.0:F1} MB -> {after / 1048576.0:F1} MB: {(after - before) / (double)calls:F0} bytes per queued call (target <= 1500); {(keysAfter - keysBefore) / (double)calls:F2} keys per call"));
        await PrintBreakdownAsync(server, db, calls);

        var statusP50 = new List<double>();
        var statusP99 = new List<double>();
        var activeP50 = new List<double>();
        var activeP99 = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            var status = await MeasureAsync(http, "api/queue/status", requests);
            var active = await MeasureAsync(http, "api/calls/active", requests);
            statusP50.Add(Stats.Percentile(status, 50));
            statusP99.Add(Stats.Percentile(status, 99));
            activeP50.Add(Stats.Percentile(active, 50));
            activeP99.Add(Stats.Percentile(active, 99));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}   GET /api/queue/status p50 {statusP50[^1]:F2} ms p99 {statusP99[^1]:F2} ms | GET /api/calls/active p50 {activeP50[^1]:F2} ms p99 {activeP99[^1]:F2} ms"));
        }

        // A day ahead: Hangfire's Scheduled set holds these while the pages are measured, and nothing of them dials.
        await PostBatchAsync(http, CallBodies.Batch("scale-scheduled", batchSize, "bench-scheduled", DateTimeOffset.UtcNow.AddDays(1)));
        await WaitForJobsAsync(http, ["scale-scheduled"]);
        using var dashboard = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
        dashboard.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(DashboardUser + ":" + DashboardPassword)));
        var pages = new List<(string Name, List<double> Latencies)>();
        foreach (var (name, path) in new[]
        {
            ("dashboard home", "hangfire"),
            ("dashboard Enqueued (queues)", "hangfire/jobs/enqueued"),
            ("dashboard Enqueued, queue normal", "hangfire/jobs/enqueued/normal"),
            ("dashboard Scheduled", "hangfire/jobs/scheduled"),
        })
        {
            pages.Add((name, await MeasureAsync(dashboard, path, pageRequests)));
        }

        var firstPage = $"api/campaigns/{Campaign}/calls?limit=100";
        var lastPage = Math.Min(100, calls / 100);
        pages.Add(("campaign calls, page 1 of 100", await MeasureAsync(http, firstPage, pageRequests)));
        var deep = await FollowCursorAsync(http, firstPage, lastPage - 1);
        pages.Add((FormattableString.Invariant($"campaign calls, page {lastPage} of 100"), await MeasureAsync(http, deep, pageRequests)));
        pages.Add((FormattableString.Invariant($"GET /api/batches/{{id}} ({batchSize:N0} calls)"), await MeasureAsync(http, "api/batches/scale-0", pageRequests)));
        foreach (var (name, latencies) in pages)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"page      {name,-36} p50 {Stats.Percentile(latencies, 50),8:F2} ms p99 {Stats.Percentile(latencies, 99),8:F2} ms max {latencies.Max(),8:F2} ms"));
        }

        var rssQueued = Probes.Rss(host.ServicePid);
        if (drain > 0)
        {
            var (drained, drainTime) = await DrainAsync(root, host, http, drain);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"drain     a second process (20 dial workers, MAX_CONCURRENT_CALLS 100000, RATE_LIMIT_PER_SECOND 1000, sandbox answering at once): first {drained:N0} calls ended {drainTime.TotalSeconds:F1} s after it was healthy ({drained / drainTime.TotalSeconds:F0} calls/s)"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median over {rounds} rounds at {calls:N0} queued: GET /api/queue/status p50 {Stats.Median(statusP50):F2} ms p99 {Stats.Median(statusP99):F2} ms (target p99 <= 20 ms); " +
            $"GET /api/calls/active p50 {Stats.Median(activeP50):F2} ms p99 {Stats.Median(activeP99):F2} ms; service RSS {rssQueued}; " +
            $"redis {(after - before) / (double)calls:F0} bytes per queued call"));
        return 0;
    }

    private static async Task PostBatchAsync(HttpClient http, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri("api/calls/bulk-queue", UriKind.Relative), content);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"bulk-queue answered {(int)response.StatusCode}");
        }
    }

    // GET /api/batches/{id} until awaiting_job is 0, batch after batch (the ingest creates them in order).
    private static async Task WaitForJobsAsync(HttpClient http, IEnumerable<string> batchIds)
    {
        foreach (var batchId in batchIds)
        {
            while (true)
            {
                using var batch = JsonDocument.Parse(await http.GetStringAsync(new Uri($"api/batches/{batchId}", UriKind.Relative)));
                if (batch.RootElement.GetProperty("awaiting_job").GetInt32() == 0)
                {
                    break;
                }

                await Task.Delay(250);
            }
        }
    }

    // The relative URI of the page after `pages` pages from `first`.
    private static async Task<string> FollowCursorAsync(HttpClient http, string first, int pages)
    {
        var path = first;
        for (var page = 0; page < pages; page++)
        {
            using var body = JsonDocument.Parse(await http.GetStringAsync(new Uri(path, UriKind.Relative)));
            var cursor = body.RootElement.GetProperty("next_cursor").GetString()
                ?? throw new InvalidOperationException($"the campaign ended after {page + 1} pages");
            path = $"{first}&cursor={Uri.EscapeDataString(cursor)}";
        }

        return path;
    }

    private static async Task<(long Drained, TimeSpan Elapsed)> DrainAsync(string root, BenchHost host, HttpClient http, int drain)
    {
        var ended = await EndedAsync(http);
        await host.AddServiceAsync(root, new Dictionary<string, string>
        {
            ["QUEUE_WORKERS"] = "20",
            ["MAX_CONCURRENT_CALLS"] = "100000",
            ["RATE_LIMIT_PER_SECOND"] = "1000",
            ["SANDBOX_RING_SECONDS"] = "0",
            ["SANDBOX_TALK_SECONDS"] = "0",
            ["SANDBOX_ANSWER_RATIO"] = "1",
            ["SANDBOX_BUSY_RATIO"] = "0",
            ["SANDBOX_NO_ANSWER_RATIO"] = "0",
        });
        var started = Stopwatch.StartNew();
        var deadline = TimeSpan.FromMinutes(15);
        long drained;
        while ((drained = await EndedAsync(http) - ended) < drain && started.Elapsed < deadline)
        {
            await Task.Delay(250);
        }

        return (drained, started.Elapsed);
    }

    // Calls over (completed, failed, cancelled), from GET /api/queue/status.
    private static async Task<long> EndedAsync(HttpClient http)
    {
        using var status = JsonDocument.Parse(await http.GetStringAsync(new Uri("api/queue/status", UriKind.Relative)));
        var totals = status.RootElement.GetProperty("totals");
        return totals.GetProperty("completed").GetInt64() + totals.GetProperty("failed").GetInt64() + totals.GetProperty("cancelled").GetInt64();
    }

    private static async Task<List<double>> MeasureAsync(HttpClient http, string path, int requests)
    {
        var uri = new Uri(path, UriKind.Relative);
        var latencies = new List<double>(requests);
        for (var i = 0; i < requests + 10; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(uri);
            await response.Content.ReadAsByteArrayAsync();
            response.EnsureSuccessStatusCode();
            if (i >= 10)
            {
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        return latencies;
    }

    // Where the memory sits: every key, grouped by kind (ids replaced by <id>), MEMORY USAGE summed over up to 1,000
    // keys per kind and scaled to the kind's count.
    private static async Task PrintBreakdownAsync(IServer server, IDatabase db, int calls)
    {
        var kinds = new Dictionary<string, List<RedisKey>>(StringComparer.Ordinal);
        await foreach (var key in server.KeysAsync(pattern: "*", pageSize: 1000))
        {
            var kind = IdPart().Replace(key.ToString(), "$1<id>");
            if (!kinds.TryGetValue(kind, out var keys))
            {
                kinds[kind] = keys = [];
            }

            keys.Add(key);
        }

        foreach (var (kind, keys) in kinds.Where(pair => pair.Value.Count >= 10 || pair.Key.Contains("queue:", StringComparison.Ordinal) || pair.Key.Contains("campaign:", StringComparison.Ordinal) || pair.Key.Contains("awaiting", StringComparison.Ordinal)).OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var sample = keys.Take(SampledKeysPerKind).ToList();
            var batch = db.CreateBatch();
            var usages = sample.Select(key => batch.ExecuteAsync("MEMORY", "USAGE", key, "SAMPLES", "0")).ToList();
            batch.Execute();
            long sum = 0;
            foreach (var usage in usages)
            {
                var result = await usage;
                sum += result.IsNull ? 0 : (long)result;
            }

            var total = sum * keys.Count / (double)sample.Count;
            var encoding = await db.ExecuteAsync("OBJECT", "ENCODING", sample[0]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {kind,-48} {keys.Count,8:N0} keys  {total / calls,7:F0} bytes per call  ({encoding})"));
        }
    }

    [GeneratedRegex("(call:|job:|batch:|idem:|phone:|phones:|cgroup:)[^:]+")]
    private static partial Regex IdPart();
}
