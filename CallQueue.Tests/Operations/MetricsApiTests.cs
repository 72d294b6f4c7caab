using System.Net.Http.Json;
using System.Text.Json;
using CallQueue.Api.Sandbox;
using CallQueue.Tests.Infrastructure;
using CallQueue.Tests.Support;

namespace CallQueue.Tests.Operations;

/// <summary>GET /metrics on the real server, parsed by Prometheus' own text parser: the README's series with their labels, and the new ones.</summary>
[TestFixture]
[Category("Integration")]
public sealed class MetricsApiTests
{
    private const string RejectingNumber = "+14155550177";

    [Test]
    public async Task Metrics_AfterCallsThroughTheSandbox_ParseWithTheReadmeSeriesAndTheirLabels()
    {
        await using var app = CallQueueApp.WithRedis();
        await using var other = CallQueueApp.InMemory(); // another host in this process: scraping either must work
        app.Service<PlivoSandbox>().SetNumberScript(RejectingNumber, new SandboxNumberScript(SandboxOutcome.Rejected, RingSeconds: 0));
        using var client = app.Client();
        var callIds = new List<string>();
        foreach (var number in new[] { "+919123456789", "+14155550123", RejectingNumber })
        {
            using var response = await client.PostAsJsonAsync("/api/calls/queue", new
            {
                phone_number = number,
                campaign_id = "ops-metrics",
                max_retries = 0,
                call_config = new { answer_url = "https://agent.example.com/answer" },
            });
            Assert.That((int)response.StatusCode, Is.EqualTo(202), await response.Content.ReadAsStringAsync());
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            callIds.Add(body.RootElement.GetProperty("call_id").GetString()!);
        }

        foreach (var callId in callIds)
        {
            await app.WaitForCallAsync(callId, call => call.Status.ToString() is "Completed" or "Failed");
        }

        using var scrape = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await scrape.Content.ReadAsStringAsync();
        using var otherClient = other.Client();
        using var otherScrape = await otherClient.GetAsync(new Uri("/metrics", UriKind.Relative));
        var metrics = await PrometheusTextParser.ParseAsync(text);
        var otherMetrics = await PrometheusTextParser.ParseAsync(await otherScrape.Content.ReadAsStringAsync());

        Assert.Multiple(() =>
        {
            Assert.That((int)scrape.StatusCode, Is.EqualTo(200), text);
            Assert.That(scrape.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
            Assert.That((int)otherScrape.StatusCode, Is.EqualTo(200));
            Assert.That(Value(otherMetrics, "callqueue_max_concurrent_calls"), Is.EqualTo(100), "the other host has its own registry");

            // The README's series: names, types and labels unchanged.
            Assert.That(Type(metrics, "callqueue_calls_queued"), Is.EqualTo("counter"));
            Assert.That(Value(metrics, "callqueue_calls_queued_total"), Is.GreaterThanOrEqualTo(3), text);
            Assert.That(Value(metrics, "callqueue_calls_dialed_total"), Is.GreaterThanOrEqualTo(3), text);
            Assert.That(Value(metrics, "callqueue_calls_completed_total"), Is.GreaterThanOrEqualTo(2), text);
            Assert.That(Type(metrics, "callqueue_calls_failed"), Is.EqualTo("counter"));
            Assert.That(Value(metrics, "callqueue_calls_failed_total", ("outcome", "rejected")), Is.GreaterThanOrEqualTo(1), text);
            Assert.That(Type(metrics, "callqueue_plivo_api_errors"), Is.EqualTo("counter"));
            Assert.That(Type(metrics, "callqueue_dial_latency_seconds"), Is.EqualTo("histogram"));
            Assert.That(Value(metrics, "callqueue_dial_latency_seconds_count"), Is.GreaterThanOrEqualTo(3), text);
            Assert.That(Value(metrics, "callqueue_dial_latency_seconds_bucket", ("le", "+Inf")), Is.GreaterThanOrEqualTo(3), text);
            Assert.That(Value(metrics, "callqueue_active_calls"), Is.GreaterThanOrEqualTo(0), text);
            Assert.That(Value(metrics, "callqueue_max_concurrent_calls"), Is.EqualTo(100), text);
            Assert.That(Value(metrics, "callqueue_rate_limit_per_second"), Is.EqualTo(10), text);
            Assert.That(Value(metrics, "callqueue_achieved_rate_per_second"), Is.GreaterThan(0), text);
            Assert.That(Value(metrics, "callqueue_queue_length", ("priority", "normal")), Is.GreaterThanOrEqualTo(0), text);
            Assert.That(Value(metrics, "callqueue_queue_length", ("priority", "urgent")), Is.GreaterThanOrEqualTo(0), text);

            // Hangfire, read at scrape time.
            Assert.That(Value(metrics, "callqueue_hangfire_enqueued_jobs", ("queue", "internal")), Is.GreaterThanOrEqualTo(0), text);
            Assert.That(Value(metrics, "callqueue_hangfire_servers"), Is.GreaterThanOrEqualTo(2), "dial and internal servers");
            Assert.That(Value(metrics, "callqueue_hangfire_failed_jobs"), Is.GreaterThanOrEqualTo(1), "the rejected call");
            Assert.That(Value(metrics, "callqueue_hangfire_processing_jobs"), Is.GreaterThanOrEqualTo(0), text);
            Assert.That(Value(metrics, "callqueue_hangfire_retry_jobs"), Is.GreaterThanOrEqualTo(0), text);

            // HTTP server by route and status, HttpClient by client, runtime.
            Assert.That(Value(metrics, "http_request_duration_seconds_count", ("endpoint", "/api/calls/queue"), ("code", "202"), ("method", "POST")), Is.EqualTo(3), text);
            Assert.That(Value(metrics, "httpclient_request_duration_seconds_count", ("client", "IPlivoClient"), ("method", "POST")), Is.GreaterThanOrEqualTo(3), text);
            Assert.That(Value(metrics, "system_runtime_dotnet_thread_pool_queue_length"), Is.GreaterThanOrEqualTo(0), text);
            Assert.That(Value(metrics, "process_cpu_seconds_total"), Is.GreaterThan(0), text);
        });
    }

    [Test]
    public async Task Metrics_CallsHeldAndBlocked_AreCountedByRule()
    {
        var opening = DateTimeOffset.UtcNow.AddHours(3);
        var window = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{opening.Hour:D2}:00-{opening.Hour + 1:D2}:00");
        await using var app = CallQueueApp.WithRedis(new Dictionary<string, string?> { ["QUEUE_WORKERS"] = "0", ["CALLING_HOURS"] = window });
        using var client = app.Client();
        (await client.PostAsJsonAsync("/api/dnc", new { phone_numbers = new[] { "+14155550191" } })).Dispose();
        foreach (var number in new[] { "+14155550191", "+14155550192" })
        {
            using var response = await client.PostAsJsonAsync("/api/calls/queue", new
            {
                phone_number = number,
                campaign_id = "ops-metrics",
                call_config = new { answer_url = "https://agent.example.com/answer", timezone = "Etc/UTC" },
            });
            Assert.That((int)response.StatusCode, Is.EqualTo(202), await response.Content.ReadAsStringAsync());
        }

        using var scrape = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await scrape.Content.ReadAsStringAsync();
        var metrics = await PrometheusTextParser.ParseAsync(text);

        Assert.Multiple(() =>
        {
            Assert.That(Type(metrics, "callqueue_safety_holds"), Is.EqualTo("counter"));
            Assert.That(Value(metrics, "callqueue_safety_holds_total", ("rule", "calling_hours")), Is.GreaterThanOrEqualTo(1), text);
            Assert.That(Value(metrics, "callqueue_safety_stops_total", ("rule", "do_not_call"), ("status", "blocked")), Is.GreaterThanOrEqualTo(1), text);
        });
    }

    [Test]
    public async Task Metrics_RedisDown_StillAnswersWithStorageDownAndNaNGauges()
    {
        await using var redis = await RedisServer.StartNewAsync();
        await using var app = CallQueueApp.WithRedis(new Dictionary<string, string?> { ["QUEUE_WORKERS"] = "0" }, redis.Url);
        using var client = app.Client();
        using var before = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        var up = await PrometheusTextParser.ParseAsync(await before.Content.ReadAsStringAsync());

        await redis.StopAsync();
        using var during = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await during.Content.ReadAsStringAsync();
        var down = await PrometheusTextParser.ParseAsync(text);

        Assert.Multiple(() =>
        {
            Assert.That(Value(up, "callqueue_storage_up"), Is.EqualTo(1));
            Assert.That(Value(up, "callqueue_storage_ping_seconds"), Is.GreaterThan(0));
            Assert.That((int)during.StatusCode, Is.EqualTo(200), text);
            Assert.That(Value(down, "callqueue_storage_up"), Is.Zero, text);
            Assert.That(Value(down, "callqueue_active_calls"), Is.NaN, text);
            Assert.That(Value(down, "callqueue_queue_length", ("priority", "high")), Is.NaN, text);
            Assert.That(Value(down, "callqueue_max_concurrent_calls"), Is.EqualTo(100), "configuration still shows");
            Assert.That(Value(down, "process_cpu_seconds_total"), Is.GreaterThan(0), "and the process");
        });
    }

    /// <summary>The first sample of <paramref name="series"/> carrying <paramref name="labels"/> (others may be present); NaN when none.</summary>
    internal static double Value(IReadOnlyList<PrometheusFamily> metrics, string series, params (string Name, string Value)[] labels) =>
        metrics.SelectMany(family => family.Samples)
            .FirstOrDefault(sample => sample.Name == series && labels.All(label => sample.Labels.GetValueOrDefault(label.Name) == label.Value))
            ?.Value ?? double.NaN;

    internal static string? Type(IReadOnlyList<PrometheusFamily> metrics, string family) =>
        metrics.FirstOrDefault(f => f.Name == family)?.Type;
}
