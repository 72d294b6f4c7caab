using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using StackExchange.Redis;

namespace CallQueue.Bench;

/// <summary>
/// Issue 11: calls waiting for their calling hours. Sets CALLING_HOURS to open a few minutes from now in Asia/Kolkata
/// (the bench's numbers are Indian mobiles), bulk-queues --calls calls while the window is closed, and prints: Redis
/// commands per second with the service idle and empty, and again while every call waits (INFO total_commands_processed
/// over --idle-seconds each); the time from the opening until every held call has left Hangfire's schedule for its
/// queue; and the dispatch that follows, read from the sandbox's own request log over --dispatch-seconds: achieved rate
/// against RATE_LIMIT_PER_SECOND and the most requests in any one-second window (a violation is more than the rate).
/// </summary>
internal static class HoursScenario
{
    private static readonly TimeZoneInfo Kolkata = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata");

    public static async Task<int> RunAsync(string root, BenchArgs args)
    {
        var calls = args.Int("calls", 100_000);
        var batchSize = Math.Min(calls, args.Int("batch-size", 10_000));
        var rate = args.Int("rate", 20);
        var idleSeconds = args.Int("idle-seconds", 20);
        var dispatchSeconds = args.Int("dispatch-seconds", 60);
        var leadMinutes = args.Int("lead-minutes", 3);

        var now = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Kolkata);
        var openLocal = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, now.Offset).AddMinutes(leadMinutes + 1);
        if (openLocal.Date != now.Date || openLocal.TimeOfDay >= TimeSpan.FromHours(23.5))
        {
            Console.Error.WriteLine("hours: the window would cross midnight in Asia/Kolkata; run again after 00:05 IST");
            return 2;
        }

        var hours = string.Create(CultureInfo.InvariantCulture, $"{openLocal:HH:mm}-24:00");
        await using var host = await BenchHost.StartAsync(root, new Dictionary<string, string>
        {
            ["CALLING_HOURS"] = hours,
            ["LEGAL_CALLING_HOURS"] = "off",
            ["RATE_LIMIT_PER_SECOND"] = rate.ToString(CultureInfo.InvariantCulture),
            ["MAX_CONCURRENT_CALLS"] = "10000",
            ["SANDBOX_RING_SECONDS"] = "0",
            ["SANDBOX_TALK_SECONDS"] = "1",
            ["SANDBOX_ANSWER_RATIO"] = "1",
            ["SANDBOX_BUSY_RATIO"] = "0",
            ["SANDBOX_NO_ANSWER_RATIO"] = "0",
            ["SANDBOX_HISTORY_LIMIT"] = "100000",
        });
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
        var server = host.Redis.GetServer("127.0.0.1", host.RedisPort);
        var db = host.Redis.GetDatabase();
        var schedule = (RedisKey)("{" + BenchHost.KeyPrefix + "}:hangfire:schedule");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"hours: {calls:N0} calls to Indian mobiles, CALLING_HOURS={hours} (Asia/Kolkata; opens {openLocal:yyyy-MM-dd HH:mm zzz}), QUEUE_WORKERS 10, RATE_LIMIT_PER_SECOND {rate}; {Environment.ProcessorCount} cores"));

        await Task.Delay(TimeSpan.FromSeconds(3));
        var empty = await Probes.CommandsPerSecondAsync(server, idleSeconds);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"idle, empty     redis {empty:F1} commands/s over {idleSeconds} s"));

        var ingest = Stopwatch.StartNew();
        for (var batch = 0; batch * batchSize < calls; batch++)
        {
            using var content = new StringContent(CallBodies.Batch(FormattableString.Invariant($"hours-{batch}"), Math.Min(batchSize, calls - (batch * batchSize))), Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(new Uri("api/calls/bulk-queue", UriKind.Relative), content);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                throw new InvalidOperationException($"bulk-queue answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }

        while (await db.SortedSetLengthAsync(schedule) < calls)
        {
            await Task.Delay(200);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ingest          {calls:N0} calls held, every dial job Scheduled for the opening, after {ingest.Elapsed.TotalSeconds:F1} s"));
        var sample = await (await http.GetAsync(new Uri("api/calls/hours-0-00000", UriKind.Relative))).Content.ReadAsStringAsync();
        using (var call = JsonDocument.Parse(sample))
        {
            Console.WriteLine($"a held call      status {call.RootElement.GetProperty("status")}, next_attempt_at {call.RootElement.GetProperty("next_attempt_at")}: {call.RootElement.GetProperty("status_reason")}");
        }

        var opening = openLocal.ToUniversalTime();
        var room = opening - DateTimeOffset.UtcNow - TimeSpan.FromSeconds(5);
        if (room < TimeSpan.FromSeconds(idleSeconds))
        {
            Console.WriteLine($"(only {room.TotalSeconds:F0} s left before the opening: pass --lead-minutes higher for a longer waiting measurement)");
        }

        var waiting = await Probes.CommandsPerSecondAsync(server, (int)Math.Clamp(room.TotalSeconds, 1, idleSeconds));
        var statusJson = await (await http.GetAsync(new Uri("api/queue/status", UriKind.Relative))).Content.ReadAsStringAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"idle, waiting   redis {waiting:F1} commands/s with {calls:N0} calls held ({waiting - empty:+0.0;-0.0} vs empty)"));
        Console.WriteLine($"queue status    {statusJson}");

        while (DateTimeOffset.UtcNow < opening)
        {
            await Task.Delay(50);
        }

        while (await db.SortedSetLengthAsync(schedule) > 0)
        {
            await Task.Delay(100);
        }

        var moved = DateTimeOffset.UtcNow - opening;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"opening         every held call left the schedule for its queue {moved.TotalSeconds:F1} s after the opening (target <= 60 s)"));

        var dispatchEnd = opening + TimeSpan.FromSeconds(dispatchSeconds) + moved;
        while (DateTimeOffset.UtcNow < dispatchEnd)
        {
            await Task.Delay(200);
        }

        var log = await (await http.GetAsync(new Uri("sandbox/control/requests", UriKind.Relative))).Content.ReadAsStringAsync();
        using var requests = JsonDocument.Parse(log);
        var starts = requests.RootElement.EnumerateArray()
            .Where(r => r.TryGetProperty("response_status", out var s) && s.ValueKind == JsonValueKind.Number && s.GetInt32() == 201)
            .Select(r => r.GetProperty("received_at").GetDateTimeOffset())
            .Order()
            .ToList();
        var early = starts.Count(at => at < opening);
        var maxInOneSecond = 0;
        for (int i = 0, first = 0; i < starts.Count; i++)
        {
            while (starts[i] - starts[first] >= TimeSpan.FromSeconds(1))
            {
                first++;
            }

            maxInOneSecond = Math.Max(maxInOneSecond, i - first + 1);
        }

        // The backlog never drains within the window, so the achieved rate is measured from the first request to the last.
        var achieved = starts.Count < 2 ? 0 : (starts.Count - 1) / (starts[^1] - starts[0]).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"dispatch        {starts.Count:N0} requests, first {(starts.Count == 0 ? double.NaN : (starts[0] - opening).TotalSeconds):F1} s after the opening; achieved {achieved:F2}/s = {achieved / rate:F3} of RATE_LIMIT_PER_SECOND; most in any 1 s window {maxInOneSecond} (rate {rate}): {(maxInOneSecond > rate ? 1 : 0)} violations; {early} requests before the opening"));
        return 0;
    }
}
