using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using CallQueue.Api.Sandbox;
using CallQueue.Tests.Support;

namespace CallQueue.Tests.Operations;

[TestFixture]
[Category("Integration")]
public sealed class MetricsApiTests
{
    private const string RejectingNumber = "+14155550177";

    [Test]
    public async Task Metrics_AfterCallsThroughTheSandbox_HasCountersAndGauges()
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
        Assert.Multiple(() =>
        {
            Assert.That((int)scrape.StatusCode, Is.EqualTo(200), text);
            Assert.That(scrape.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
            Assert.That((int)otherScrape.StatusCode, Is.EqualTo(200));
            Assert.That(Sample(text, "callqueue_calls_queued_total"), Is.GreaterThanOrEqualTo(3), text);
            Assert.That(Sample(text, "callqueue_calls_dialed_total"), Is.GreaterThanOrEqualTo(3), text);
            Assert.That(Sample(text, "callqueue_calls_completed_total"), Is.GreaterThanOrEqualTo(2), text);
            Assert.That(Sample(text, "callqueue_calls_failed_total{outcome=\"rejected\"}"), Is.GreaterThanOrEqualTo(1), text);
            Assert.That(Sample(text, "callqueue_dial_latency_seconds_count"), Is.GreaterThanOrEqualTo(3), text);
            Assert.That(text, Does.Contain("# TYPE callqueue_dial_latency_seconds histogram"));
            Assert.That(text, Does.Contain("# TYPE callqueue_plivo_api_errors_total counter"));
            Assert.That(Sample(text, "callqueue_active_calls"), Is.GreaterThanOrEqualTo(0), text);
            Assert.That(Sample(text, "callqueue_max_concurrent_calls"), Is.EqualTo(100), text);
            Assert.That(Sample(text, "callqueue_rate_limit_per_second"), Is.EqualTo(10), text);
            Assert.That(Sample(text, "callqueue_achieved_rate_per_second"), Is.GreaterThan(0), text);
            Assert.That(Sample(text, "callqueue_queue_length{priority=\"normal\"}"), Is.GreaterThanOrEqualTo(0), text);
        });
    }

    private static double Sample(string text, string series)
    {
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
    }
}
