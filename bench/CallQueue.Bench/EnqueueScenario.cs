using System.Globalization;
using System.Net;
using System.Text;
using CallQueue.Jobs.Dialing;
using Hangfire;
using Hangfire.Redis.StackExchange;

namespace CallQueue.Bench;

/// <summary>
/// Scenario 1, single enqueue: POST /api/calls/queue against a bare Hangfire enqueue loop on the same redis-server, in
/// the same run. Each run measures, alternating: API closed loop, bare closed loop (100% load: N clients, back to back),
/// then each open loop at half its own closed-loop throughput (50% load). The service runs with QUEUE_WORKERS=0 so
/// nothing dials meanwhile. The bare loop writes the same DialCallJob into the same "normal" queue, with the service's
/// Hangfire settings and key layout under its own hash tag (<c>{bare}:hangfire:</c>), so the two never share a list.
/// </summary>
internal static class EnqueueScenario
{
    public static async Task<int> RunAsync(string root, BenchArgs args)
    {
        var runs = args.Int("runs", 5);
        var clients = args.Int("clients", 16);
        var duration = TimeSpan.FromSeconds(args.Double("seconds", 5));
        // Long enough for the tiered JIT to finish on a saturated 2-core machine, so the ratio is the running service's:
        // with 3 s the first run of every session measured 0.38-0.40 and the runs after it 0.56-0.68; with 10 s the first run
        // was still the lowest of its invocation in most of 5 (issue 15: 0.59-0.69 against up to 0.97 for the runs after).
        var warmUp = TimeSpan.FromSeconds(args.Double("warmup", 20));

        await using var host = await BenchHost.StartAsync(root, new Dictionary<string, string> { ["QUEUE_WORKERS"] = "0" });
        // One connection per client, opened by the closed loop and reused by the open loop: a burst of the open loop
        // queues in the client (and counts in its latency) instead of opening new connections under load, which stalled
        // for seconds (SYN retries) and was reset on this machine.
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = host.BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var queueUri = new Uri("api/calls/queue", UriKind.Relative);
        async Task<bool> PostAsync()
        {
            using var content = new StringContent(CallBodies.Single(CallBodies.NextPhoneNumber(), "bench"), Encoding.UTF8, "application/json");
            try
            {
                using var response = await http.PostAsync(queueUri, content);
                await response.Content.ReadAsByteArrayAsync();
                return response.StatusCode == HttpStatusCode.Accepted;
            }
            catch (HttpRequestException)
            {
                // Counted as an error of the run (printed), not the end of the benchmark.
                return false;
            }
        }

        // The HTTP floor: the same clients on GET /api/calls/active (one Redis round trip, an empty list), to show how much
        // of the gap to bare Hangfire is HTTP on this machine rather than the enqueue itself.
        var activeUri = new Uri("api/calls/active", UriKind.Relative);
        async Task<bool> GetActiveAsync()
        {
            using var response = await http.GetAsync(activeUri);
            await response.Content.ReadAsByteArrayAsync();
            return response.StatusCode == HttpStatusCode.OK;
        }

        // The service's own Hangfire settings (CallQueue.Jobs ServiceCollectionExtensions), on the same multiplexer kind,
        // and its filters' effect on the job written: no CurrentCulture parameter (CallQueueJobFilterProvider leaves
        // Hangfire's CaptureCultureAttribute out). This process only measures; the service runs in its own.
        GlobalConfiguration.Configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings();
        GlobalJobFilters.Filters.Remove<CaptureCultureAttribute>();
        var storage = new RedisStorage(host.Redis, new RedisStorageOptions { Prefix = "{bare}:hangfire:", Db = 0 });
        var client = new BackgroundJobClient(storage);
        var bareIds = 0;
        bool Enqueue()
        {
            var callId = "call_bare_" + Interlocked.Increment(ref bareIds).ToString(CultureInfo.InvariantCulture);
            return client.Enqueue<DialCallJob>("normal", job => job.DialAsync(callId)) is not null;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"single enqueue: {runs} runs; closed loop {clients} clients x {duration.TotalSeconds:F0} s; open loop at 50% for {duration.TotalSeconds:F0} s; QUEUE_WORKERS=0; {Environment.ProcessorCount} cores"));
        await LoadLoop.ClosedAsync(clients, warmUp, PostAsync);
        LoadLoop.Closed(clients, warmUp, Enqueue);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warm-up   done ({warmUp.TotalSeconds:F0} s each, not counted)"));

        var ratios = new List<double>();
        var api100 = new List<LoadResult>();
        var bare100 = new List<LoadResult>();
        var api50 = new List<LoadResult>();
        var floors = new List<LoadResult>();
        var bare50 = new List<LoadResult>();
        for (var run = 1; run <= runs; run++)
        {
            var api = await LoadLoop.ClosedAsync(clients, duration, PostAsync);
            var bare = LoadLoop.Closed(clients, duration, Enqueue);
            var apiHalf = await LoadLoop.OpenAsync(api.Throughput / 2, duration, PostAsync);
            var bareHalf = LoadLoop.Open(bare.Throughput / 2, duration, clients, Enqueue);
            var floor = await LoadLoop.ClosedAsync(clients, duration, GetActiveAsync);
            floors.Add(floor);
            var ratio = api.Throughput / bare.Throughput;
            ratios.Add(ratio);
            api100.Add(api);
            bare100.Add(bare);
            api50.Add(apiHalf);
            bare50.Add(bareHalf);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {run}   100%: API {api} | bare Hangfire {bare} | ratio {ratio:F3}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {run}    50%: API {apiHalf} | bare Hangfire {bareHalf} | HTTP floor (GET /api/calls/active, 100%) {floor}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median over {runs} runs, 100% load: API {Median(api100, r => r.Throughput):F0}/s p50 {Median(api100, r => r.P50):F2} ms p99 {Median(api100, r => r.P99):F2} ms; " +
            $"bare Hangfire {Median(bare100, r => r.Throughput):F0}/s p50 {Median(bare100, r => r.P50):F2} ms p99 {Median(bare100, r => r.P99):F2} ms; " +
            $"ratio API/bare {Stats.Median(ratios):F3} (target >= 0.8)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median over {runs} runs,  50% load: API {Median(api50, r => r.Throughput):F0}/s p50 {Median(api50, r => r.P50):F2} ms p99 {Median(api50, r => r.P99):F2} ms; " +
            $"bare Hangfire {Median(bare50, r => r.Throughput):F0}/s p50 {Median(bare50, r => r.P50):F2} ms p99 {Median(bare50, r => r.P99):F2} ms; " +
            $"HTTP floor GET /api/calls/active {Median(floors, r => r.Throughput):F0}/s"));
        return 0;
    }

    private static double Median(IEnumerable<LoadResult> results, Func<LoadResult, double> figure) => Stats.Median(results.Select(figure).ToArray());
}
