using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace CallQueue.Bench;

/// <summary>
/// Scenario 2, idle latency: an idle instance (QUEUE_WORKERS default, the built-in Plivo sandbox, cap and rate far
/// above the load) gets one call at a time; the next is sent only once the previous one has been dialed, after a pause
/// that lets the workers go idle again. Latency = the sandbox's own arrival time of the create-call request (its
/// request log) minus the moment the POST was sent (same machine clock).
/// </summary>
internal static class IdleLatencyScenario
{
    public static async Task<int> RunAsync(string root, BenchArgs args)
    {
        var runs = args.Int("runs", 3);
        var samples = args.Int("samples", 100);
        var warmup = args.Int("warmup", 10);
        var gap = TimeSpan.FromMilliseconds(args.Int("gap-ms", 200));

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"idle latency: {runs} runs x {samples} calls (+{warmup} warm-up) one at a time, {gap.TotalMilliseconds:F0} ms idle before each; QUEUE_WORKERS default; {Environment.ProcessorCount} cores"));
        var p50s = new List<double>();
        var p99s = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            // A fresh instance per run: each starts idle, nothing left over from the previous run.
            await using var host = await BenchHost.StartAsync(root, new Dictionary<string, string>
            {
                ["MAX_CONCURRENT_CALLS"] = "1000",
                ["RATE_LIMIT_PER_SECOND"] = "1000",
                ["SANDBOX_RING_SECONDS"] = "0",
                ["SANDBOX_TALK_SECONDS"] = "1",
                ["SANDBOX_ANSWER_RATIO"] = "1",
                ["SANDBOX_BUSY_RATIO"] = "0",
                ["SANDBOX_NO_ANSWER_RATIO"] = "0",
            });
            using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            var sent = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            for (var i = 0; i < warmup + samples; i++)
            {
                await Task.Delay(gap);
                var phone = CallBodies.NextPhoneNumber();
                using var content = new StringContent(CallBodies.Single(phone, "idle"), Encoding.UTF8, "application/json");
                var at = DateTimeOffset.UtcNow;
                using var response = await http.PostAsync(new Uri("api/calls/queue", UriKind.Relative), content);
                if (response.StatusCode != HttpStatusCode.Accepted)
                {
                    throw new InvalidOperationException($"POST /api/calls/queue answered {(int)response.StatusCode}");
                }

                using var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                var callId = created.RootElement.GetProperty("call_id").GetString()!;
                await WaitUntilDialedAsync(http, callId);
                if (i >= warmup)
                {
                    sent[phone.TrimStart('+')] = at;
                }
            }

            var latencies = new List<double>();
            using var log = JsonDocument.Parse(await http.GetStringAsync(new Uri("sandbox/control/requests", UriKind.Relative)));
            foreach (var request in log.RootElement.EnumerateArray())
            {
                var to = request.GetProperty("fields").TryGetProperty("to", out var value) ? value.GetString()!.TrimStart('+') : string.Empty;
                if (sent.TryGetValue(to, out var at))
                {
                    latencies.Add((request.GetProperty("received_at").GetDateTimeOffset() - at).TotalMilliseconds);
                }
            }

            if (latencies.Count != samples)
            {
                throw new InvalidOperationException($"the sandbox logged {latencies.Count} of {samples} create-call requests");
            }

            var p50 = Stats.Percentile(latencies, 50);
            var p99 = Stats.Percentile(latencies, 99);
            p50s.Add(p50);
            p99s.Add(p99);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {run}   enqueue -> Plivo request  p50 {p50,6:F1} ms  p99 {p99,6:F1} ms  max {latencies.Max(),6:F1} ms  ({latencies.Count} calls)"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median over {runs} runs: enqueue -> Plivo request p50 {Stats.Median(p50s):F1} ms, p99 {Stats.Median(p99s):F1} ms (target p99 <= 100 ms)"));
        return 0;
    }

    // Dialed = Plivo accepted the request (the attempt has its request_uuid); polled every 5 ms.
    private static async Task WaitUntilDialedAsync(HttpClient http, string callId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var uri = new Uri("api/calls/" + Uri.EscapeDataString(callId), UriKind.Relative);
        while (DateTime.UtcNow < deadline)
        {
            using var call = JsonDocument.Parse(await http.GetStringAsync(uri));
            if (call.RootElement.TryGetProperty("attempts", out var attempts)
                && attempts.ValueKind == JsonValueKind.Array
                && attempts.EnumerateArray().Any(attempt => attempt.TryGetProperty("request_uuid", out var uuid) && uuid.ValueKind == JsonValueKind.String))
            {
                return;
            }

            await Task.Delay(5);
        }

        throw new TimeoutException($"call {callId} was not dialed within 30 s");
    }
}
