using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace CallQueue.Bench;

/// <summary>
/// Issue 13: call events for the backend. The service dials --calls calls (one bulk batch) at the sandbox's fastest
/// (answered at once, talk 0 s) with BACKEND_URL pointing at a receiver in this process (HttpListener, loopback, answers
/// 200). Prints: the time until every event has arrived (two per call and one batch.completed), the delivery latency
/// (the event's own timestamp, written with the state change, to its arrival; p50/p99), and the achieved dial rate (the
/// sandbox's request log). Then the same with the receiver answering 503 to everything (a dead backend): the dial rate
/// again, side by side in the same run, on the same Redis.
/// </summary>
internal static class WebhooksScenario
{
    public static async Task<int> RunAsync(string root, BenchArgs args)
    {
        var calls = args.Int("calls", 10_000);
        var rate = args.Int("rate", 50);
        using var receiver = new Receiver();
        await using var host = await BenchHost.StartAsync(root, new Dictionary<string, string>
        {
            ["BACKEND_URL"] = receiver.Url,
            ["WEBHOOK_SECRET"] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwMfKQ9r8GKYqrTwjU",
            ["RATE_LIMIT_PER_SECOND"] = rate.ToString(CultureInfo.InvariantCulture),
            ["MAX_CONCURRENT_CALLS"] = "1000",
            ["SANDBOX_RING_SECONDS"] = "0",
            ["SANDBOX_TALK_SECONDS"] = "0",
            ["SANDBOX_ANSWER_RATIO"] = "1",
            ["SANDBOX_BUSY_RATIO"] = "0",
            ["SANDBOX_NO_ANSWER_RATIO"] = "0",
            ["SANDBOX_HISTORY_LIMIT"] = "100000",
            ["SCHEDULE_POLLING_SECONDS"] = "1",
            ["WEBHOOK_RETRY_DELAYS"] = "5m",
        });
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"webhooks: {calls:N0} calls per phase, RATE_LIMIT_PER_SECOND {rate}, sandbox answering at once (talk 0 s), receiver on loopback; {Environment.ProcessorCount} cores"));

        // Phase 1: a live backend.
        var started = DateTimeOffset.UtcNow;
        await QueueAsync(http, "hooks-live", calls);
        var expected = (calls * 2) + 1;
        while (receiver.Count < expected)
        {
            await Task.Delay(200);
        }

        var allIn = DateTimeOffset.UtcNow - started;
        var latencies = receiver.Latencies();
        var liveRate = await DialRateAsync(http, started, DateTimeOffset.UtcNow);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"live      {receiver.Count:N0} events ({calls:N0} calls x 2 + batch.completed) all arrived {allIn.TotalSeconds:F1} s after the first post; delivery latency p50 {Stats.Percentile(latencies, 50):F1} ms p99 {Stats.Percentile(latencies, 99):F1} ms; dial rate {liveRate:F2}/s"));

        // Phase 2: the backend answers 503 to everything.
        receiver.Dead = true;
        var deadStarted = DateTimeOffset.UtcNow;
        await QueueAsync(http, "hooks-dead", calls);
        while ((await FinishedAsync(http, "hooks-dead")) < calls)
        {
            await Task.Delay(500);
        }

        var deadRate = await DialRateAsync(http, deadStarted, DateTimeOffset.UtcNow);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"dead      every call of the second batch ended; dial rate {deadRate:F2}/s with the backend answering 503 ({receiver.Refused:N0} deliveries refused): {deadRate / liveRate:F3} of the live run"));
        return 0;
    }

    private static async Task QueueAsync(HttpClient http, string batchId, int calls)
    {
        using var content = new StringContent(CallBodies.Batch(batchId, calls), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri("api/calls/bulk-queue", UriKind.Relative), content);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"bulk-queue answered {(int)response.StatusCode}");
        }
    }

    private static async Task<long> FinishedAsync(HttpClient http, string batchId)
    {
        using var batch = JsonDocument.Parse(await http.GetStringAsync(new Uri($"api/batches/{batchId}", UriKind.Relative)));
        return batch.RootElement.GetProperty("finished").GetInt64();
    }

    // Create-call requests the sandbox accepted between the two instants, per second from the first to the last.
    private static async Task<double> DialRateAsync(HttpClient http, DateTimeOffset from, DateTimeOffset to)
    {
        using var log = JsonDocument.Parse(await http.GetStringAsync(new Uri("sandbox/control/requests", UriKind.Relative)));
        var starts = log.RootElement.EnumerateArray()
            .Where(r => r.TryGetProperty("response_status", out var s) && s.ValueKind == JsonValueKind.Number && s.GetInt32() == 201)
            .Select(r => r.GetProperty("received_at").GetDateTimeOffset())
            .Where(at => at >= from && at <= to)
            .Order()
            .ToList();
        return starts.Count < 2 ? 0 : (starts.Count - 1) / (starts[^1] - starts[0]).TotalSeconds;
    }

    /// <summary>A backend's endpoint on loopback: answers 200 (or 503 when dead) and records each event's latency.</summary>
    private sealed class Receiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentDictionary<string, double> _latencies = new(StringComparer.Ordinal);
        private int _refused;

        public Receiver()
        {
            var port = FreePort();
            Url = FormattableString.Invariant($"http://127.0.0.1:{port}/hooks/");
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _ = Task.Run(LoopAsync);
        }

        public string Url { get; }

        public bool Dead { get; set; }

        public int Count => _latencies.Count;

        public int Refused => Volatile.Read(ref _refused);

        public List<double> Latencies() => [.. _latencies.Values];

        public void Dispose() => _listener.Close();

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                _ = Task.Run(() => Answer(context));
            }
        }

        private void Answer(HttpListenerContext context)
        {
            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
            {
                var body = reader.ReadToEnd();
                if (Dead)
                {
                    Interlocked.Increment(ref _refused);
                    context.Response.StatusCode = 503;
                }
                else
                {
                    using var json = JsonDocument.Parse(body);
                    var recorded = json.RootElement.GetProperty("timestamp").GetDateTimeOffset();
                    _latencies.TryAdd(context.Request.Headers["webhook-id"] ?? string.Empty, (DateTimeOffset.UtcNow - recorded).TotalMilliseconds);
                    context.Response.StatusCode = 200;
                }
            }

            context.Response.Close();
        }

        private static int FreePort()
        {
            using var socket = new TcpListener(IPAddress.Loopback, 0);
            socket.Start();
            return ((IPEndPoint)socket.LocalEndpoint).Port;
        }
    }
}
