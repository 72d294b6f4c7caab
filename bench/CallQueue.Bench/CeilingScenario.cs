using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace CallQueue.Bench;

/// <summary>
/// Issue 15, the ceiling of one Redis: how many dials per second one redis-server sustains with the caps far away.
/// One service process (QUEUE_WORKERS=0) bulk-queues a backlog of --calls and waits until every dial job exists; then
/// --processes service processes with --workers dial workers each start on the same Redis (MAX_CONCURRENT_CALLS 100000,
/// RATE_LIMIT_PER_SECOND 1000, each its own built-in sandbox answering at once with 0 s of talk, calling hours off).
/// After --warmup seconds, over --seconds: create-call requests the sandboxes accepted per second (their own logs),
/// Redis CPU (INFO cpu used_cpu_sys + used_cpu_user, delta over wall time), commands per second (INFO stats
/// total_commands_processed delta; and the median of instantaneous_ops_per_sec sampled each second) and the service
/// processes' CPU (/proc/PID/stat). Redis CPU per dial gives the extrapolation: dials per second at one full Redis core.
/// </summary>
internal static class CeilingScenario
{
    public static async Task<int> RunAsync(string root, BenchArgs args)
    {
        var processes = args.Int("processes", 3);
        var workers = args.Int("workers", 20);
        var calls = args.Int("calls", 30_000);
        var batchSize = args.Int("batch-size", 10_000);
        var warmup = TimeSpan.FromSeconds(args.Double("warmup", 10));
        var window = TimeSpan.FromSeconds(args.Double("seconds", 30));

        await using var host = await BenchHost.StartAsync(root, new Dictionary<string, string> { ["QUEUE_WORKERS"] = "0" });
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
        var server = host.Redis.GetServer("127.0.0.1", host.RedisPort);
        var db = host.Redis.GetDatabase();
        var queue = "{" + BenchHost.KeyPrefix + "}:hangfire:queue:normal";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ceiling: {processes} dialing processes x {workers} workers on one redis-server (defaults); backlog {calls:N0}; caps 100000 concurrent, 1000/s; sandbox answering at once, talk 0 s; warm-up {warmup.TotalSeconds:F0} s, window {window.TotalSeconds:F0} s; {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg")[..14]}"));

        var batchIds = new List<string>();
        for (var queued = 0; queued < calls; queued += batchSize)
        {
            var batchId = FormattableString.Invariant($"ceiling-{batchIds.Count}");
            batchIds.Add(batchId);
            using var content = new StringContent(CallBodies.Batch(batchId, Math.Min(batchSize, calls - queued)), System.Text.Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(new Uri("api/calls/bulk-queue", UriKind.Relative), content);
            response.EnsureSuccessStatusCode();
        }

        foreach (var batchId in batchIds)
        {
            while ((await http.GetFromJsonAsync<JsonElement>(new Uri($"api/batches/{batchId}", UriKind.Relative))).GetProperty("awaiting_job").GetInt32() > 0)
            {
                await Task.Delay(250);
            }
        }

        var backlog = await db.ListLengthAsync(queue);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"backlog   {backlog:N0} dial jobs enqueued"));

        var settings = new Dictionary<string, string>
        {
            ["QUEUE_WORKERS"] = workers.ToString(CultureInfo.InvariantCulture),
            ["MAX_CONCURRENT_CALLS"] = "100000",
            ["RATE_LIMIT_PER_SECOND"] = "1000",
            ["SANDBOX_RING_SECONDS"] = "0",
            ["SANDBOX_TALK_SECONDS"] = "0",
            ["SANDBOX_ANSWER_RATIO"] = "1",
            ["SANDBOX_BUSY_RATIO"] = "0",
            ["SANDBOX_NO_ANSWER_RATIO"] = "0",
            ["SANDBOX_HISTORY_LIMIT"] = "100000",
        };
        var dialers = new List<BenchService>();
        for (var i = 0; i < processes; i++)
        {
            dialers.Add(await host.AddServiceAsync(root, settings));
        }

        await Task.Delay(warmup);
        var pids = dialers.Select(dialer => dialer.Pid).Append(host.ServicePid).ToList();
        var from = DateTimeOffset.UtcNow;
        var wall = Stopwatch.StartNew();
        var (cpu0, commands0) = (Probes.RedisCpuSeconds(server), Probes.CommandsProcessed(server));
        var services0 = pids.Sum(Probes.ProcessCpuSeconds);
        var commandCalls0 = Probes.CommandCalls(server);
        var opsSamples = new List<double>();
        while (wall.Elapsed < window)
        {
            await Task.Delay(1000);
            opsSamples.Add(double.Parse(Probes.Info(server, "stats", "instantaneous_ops_per_sec"), CultureInfo.InvariantCulture));
        }

        var (cpu1, commands1) = (Probes.RedisCpuSeconds(server), Probes.CommandsProcessed(server));
        var services1 = pids.Sum(Probes.ProcessCpuSeconds);
        var commandCalls1 = Probes.CommandCalls(server);
        var seconds = wall.Elapsed.TotalSeconds;
        var to = DateTimeOffset.UtcNow;
        var left = await db.ListLengthAsync(queue);

        long dials = 0;
        foreach (var dialer in dialers)
        {
            using var sandbox = new HttpClient { BaseAddress = dialer.BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
            var log = await sandbox.GetFromJsonAsync<JsonElement>(new Uri("sandbox/control/requests", UriKind.Relative));
            dials += log.EnumerateArray().Count(request =>
                request.TryGetProperty("response_status", out var status) && status.ValueKind == JsonValueKind.Number && status.GetInt32() == 201
                && request.GetProperty("received_at").GetDateTimeOffset() is var at && at >= from && at < to);
        }

        var rate = dials / seconds;
        var redisCores = (cpu1 - cpu0) / seconds;
        var redisMsPerDial = (cpu1 - cpu0) * 1000 / dials;
        var commandsPerDial = (commands1 - commands0) / (double)dials;
        var serviceCores = (services1 - services0) / seconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"window    {dials:N0} create-call requests at the sandboxes in {seconds:F1} s: {rate:F0} dials/s; {left:N0} dial jobs still queued at the end{(left == 0 ? " (BACKLOG RAN OUT: raise --calls)" : string.Empty)}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"redis     CPU {redisCores * 100:F1} % of one core; {(commands1 - commands0) / seconds:F0} commands/s (instantaneous_ops_per_sec median {Stats.Median(opsSamples):F0}); {commandsPerDial:F1} commands and {redisMsPerDial:F3} ms of Redis CPU per dial"));
        var top = commandCalls1
            .Select(pair => (Command: pair.Key, Calls: pair.Value - commandCalls0.GetValueOrDefault(pair.Key)))
            .OrderByDescending(command => command.Calls)
            .Take(8)
            .Select(command => string.Create(CultureInfo.InvariantCulture, $"{command.Command} {command.Calls / (double)dials:F1}"));
        Console.WriteLine("commands  per dial, most called: " + string.Join(", ", top));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"services  {serviceCores:F2} cores of {Environment.ProcessorCount} ({processes} dialers and the idle ingest process, sandboxes included): {serviceCores * 1000 / rate:F2} ms of service CPU per dial"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ceiling   at this Redis CPU per dial, one Redis core would carry ~{1000 / redisMsPerDial:F0} dials/s ({commandsPerDial * 1000 / redisMsPerDial:F0} commands/s); here the services, not Redis, were the limit ({redisCores * 100:F0} % of a Redis core used)"));
        return 0;
    }
}
