using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using StackExchange.Redis;

namespace CallQueue.Bench;

/// <summary>
/// Scenario 3, scale: 100,000 queued calls (10 bulk batches of 10,000, QUEUE_WORKERS=0 so they stay queued), then
/// Redis memory per queued call (INFO used_memory after every dial job exists minus before the first batch), where
/// that memory sits (MEMORY USAGE per key kind), GET /api/queue/status and GET /api/calls/active latencies (sequential
/// requests, several rounds) and the service's resident memory (/proc/PID/status).
/// </summary>
internal static partial class ScaleScenario
{
    private const int SampledKeysPerKind = 1_000;

    public static async Task<int> RunAsync(string root, BenchArgs args)
    {
        var batches = args.Int("batches", 10);
        var batchSize = args.Int("batch-size", 10_000);
        var requests = args.Int("requests", 300);
        var rounds = args.Int("rounds", 3);
        var calls = batches * batchSize;
        var redisConfig = args.Text("redis-config", string.Empty);

        await using var host = await BenchHost.StartAsync(
            root, new Dictionary<string, string> { ["QUEUE_WORKERS"] = "0" }, redisConfig.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var server = host.Redis.GetServer("127.0.0.1", host.RedisPort);
        var db = host.Redis.GetDatabase();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"scale: {batches} x {batchSize:N0} calls bulk-queued, QUEUE_WORKERS=0; {rounds} rounds x {requests} sequential requests per endpoint; redis-server {(redisConfig.Length == 0 ? "defaults" : redisConfig)}; {Environment.ProcessorCount} cores"));

        await Task.Delay(TimeSpan.FromSeconds(2));
        var (statusEmpty, activeEmpty) = (await MeasureAsync(http, "api/queue/status", requests), await MeasureAsync(http, "api/calls/active", requests));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"empty     GET /api/queue/status p50 {Stats.Percentile(statusEmpty, 50):F2} ms p99 {Stats.Percentile(statusEmpty, 99):F2} ms | GET /api/calls/active p50 {Stats.Percentile(activeEmpty, 50):F2} ms p99 {Stats.Percentile(activeEmpty, 99):F2} ms | RSS {Rss(host.ServicePid)}"));

        var before = UsedMemory(server);
        var keysBefore = await server.DatabaseSizeAsync();
        var ingest = Stopwatch.StartNew();
        for (var batch = 0; batch < batches; batch++)
        {
            using var content = new StringContent(CallBodies.Batch(FormattableString.Invariant($"scale-{batch}"), batchSize), Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(new Uri("api/calls/bulk-queue", UriKind.Relative), content);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                throw new InvalidOperationException($"bulk-queue answered {(int)response.StatusCode}");
            }
        }

        var awaiting = (RedisKey)("{" + BenchHost.KeyPrefix + "}:awaiting-job");
        while (await db.SortedSetLengthAsync(awaiting) > 0)
        {
            await Task.Delay(100);
        }

        var queued = await db.ListLengthAsync("{" + BenchHost.KeyPrefix + "}:hangfire:queue:normal");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ingest    {calls:N0} calls stored and {queued:N0} dial jobs enqueued after {ingest.Elapsed.TotalSeconds:F1} s"));
        await Task.Delay(TimeSpan.FromSeconds(2));
        var after = UsedMemory(server);
        var keysAfter = await server.DatabaseSizeAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"redis     used_memory {before / 1048576.0:F1} MB -> {after / 1048576.0:F1} MB: {(after - before) / (double)calls:F0} bytes per queued call (target <= 1536); {(keysAfter - keysBefore) / (double)calls:F2} keys per call"));
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

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median over {rounds} rounds at {calls:N0} queued: GET /api/queue/status p50 {Stats.Median(statusP50):F2} ms p99 {Stats.Median(statusP99):F2} ms (target p99 <= 20 ms); " +
            $"GET /api/calls/active p50 {Stats.Median(activeP50):F2} ms p99 {Stats.Median(activeP99):F2} ms; service RSS {Rss(host.ServicePid)}; " +
            $"redis {(after - before) / (double)calls:F0} bytes per queued call"));
        return 0;
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

    private static long UsedMemory(IServer server) =>
        long.Parse(server.Info("memory").SelectMany(group => group).First(pair => pair.Key == "used_memory").Value, CultureInfo.InvariantCulture);

    private static string Rss(int pid)
    {
        var lines = File.ReadAllLines($"/proc/{pid}/status");
        string Field(string name) => lines.First(line => line.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..].Trim();
        return $"VmRSS {Field("VmRSS")} (peak VmHWM {Field("VmHWM")})";
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

    [GeneratedRegex("(call:|job:|batch:|idem:)[^:]+")]
    private static partial Regex IdPart();
}
