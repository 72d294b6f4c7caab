using CallQueue.Api.Operations;
using CallQueue.Jobs.Operations;
using Prometheus;

namespace CallQueue.Tests.Operations;

/// <summary>The CallQueue meter in a prometheus-net registry: every label kept, label values escaped, types and names unchanged.</summary>
[TestFixture]
public sealed class CallQueueMeterBridgeTests
{
    [Test]
    public async Task Export_TagValueWithQuotesBackslashesAndNewlines_ParsesBackToTheSameValue()
    {
        const string Awkward = "quote\" backslash\\ newline\n end";
        var registry = Metrics.NewCustomRegistry();
        using var bridge = new CallQueueMeterBridge(registry);

        CallQueueMetrics.CallsFailed.Add(2, new KeyValuePair<string, object?>(CallQueueMetrics.OutcomeTag, Awkward));
        CallQueueMetrics.PlivoApiErrors.Add(1, new KeyValuePair<string, object?>(CallQueueMetrics.StatusTag, "503"));
        CallQueueMetrics.DialLatency.Record(0.2);

        var metrics = await PrometheusTextParser.ParseAsync(await ExportAsync(registry));
        Assert.Multiple(() =>
        {
            Assert.That(MetricsApiTests.Value(metrics, "callqueue_calls_failed_total", ("outcome", Awkward)), Is.EqualTo(2));
            Assert.That(MetricsApiTests.Value(metrics, "callqueue_plivo_api_errors_total", ("status", "503")), Is.EqualTo(1));
            Assert.That(MetricsApiTests.Value(metrics, "callqueue_dial_latency_seconds_bucket", ("le", "0.25")), Is.EqualTo(1));
            Assert.That(MetricsApiTests.Value(metrics, "callqueue_dial_latency_seconds_bucket", ("le", "0.1")), Is.Zero);
            Assert.That(MetricsApiTests.Value(metrics, "callqueue_calls_queued_total"), Is.Zero, "declared before its first measurement");
            Assert.That(MetricsApiTests.Type(metrics, "callqueue_calls_failed"), Is.EqualTo("counter"));
        });
    }

    [Test]
    public async Task Export_TwoRegistries_EachCountsOnlyAfterItsBridgeStarted()
    {
        var first = Metrics.NewCustomRegistry();
        using var firstBridge = new CallQueueMeterBridge(first);
        CallQueueMetrics.CallsCompleted.Add(1);
        var second = Metrics.NewCustomRegistry();
        using var secondBridge = new CallQueueMeterBridge(second);
        CallQueueMetrics.CallsCompleted.Add(1);

        var firstMetrics = await PrometheusTextParser.ParseAsync(await ExportAsync(first));
        var secondMetrics = await PrometheusTextParser.ParseAsync(await ExportAsync(second));
        Assert.Multiple(() =>
        {
            Assert.That(MetricsApiTests.Value(firstMetrics, "callqueue_calls_completed_total"), Is.GreaterThanOrEqualTo(2));
            Assert.That(MetricsApiTests.Value(secondMetrics, "callqueue_calls_completed_total"), Is.GreaterThanOrEqualTo(1));
        });
    }

    [Test]
    public async Task Export_WebhookDeliveries_ByResultWithTheirLatency()
    {
        var registry = Metrics.NewCustomRegistry();
        using var bridge = new CallQueueMeterBridge(registry);

        CallQueueMetrics.WebhookDelivered(CallQueueMetrics.WebhookResultGivenUp);
        CallQueueMetrics.WebhookDeliveryLatency.Record(0.2);

        var metrics = await PrometheusTextParser.ParseAsync(await ExportAsync(registry));
        Assert.Multiple(() =>
        {
            Assert.That(MetricsApiTests.Value(metrics, "callqueue_webhook_deliveries_total", ("result", "given_up")), Is.GreaterThanOrEqualTo(1));
            Assert.That(MetricsApiTests.Type(metrics, "callqueue_webhook_deliveries"), Is.EqualTo("counter"));
            Assert.That(MetricsApiTests.Value(metrics, "callqueue_webhook_delivery_seconds_bucket", ("le", "0.25")), Is.GreaterThanOrEqualTo(1));
        });
    }

    private static async Task<string> ExportAsync(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
