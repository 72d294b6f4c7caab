using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using CallQueue.Jobs.Operations;
using CallQueue.Tests.Infrastructure;
using CallQueue.Tests.Support;
using OpenTelemetry.Trace;

namespace CallQueue.Tests.Operations;

/// <summary>
/// One trace per call: the request that queued it, its dial job run, the Plivo request, and the callbacks that settled
/// it. Recorded in memory by a listener of the three activity sources (what the OTLP exporter would send).
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class TracingTests
{
    private static readonly string[] Sources = [CallQueueTracing.SourceName, "Microsoft.AspNetCore", "System.Net.Http"];

    // With Redis too: there a call to be dialed now is stored with its dial job in one script (issue 15), except while a
    // trace is recorded, when Hangfire's client creates the job with the trace's parent as its parameter.
    [TestCase(false, TestName = "QueuedCall_ThroughTheSandbox_IsOneTraceFromRequestToHangupCallback")]
    [TestCase(true, TestName = "QueuedCall_ThroughTheSandboxWithRedis_IsOneTraceFromRequestToHangupCallback")]
    public async Task QueuedCall_ThroughTheSandbox_IsOneTraceFromRequestToHangupCallback(bool redis)
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => Sources.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var app = redis ? CallQueueApp.WithRedis() : CallQueueApp.InMemory();
        using var client = app.Client();

        using var queued = await client.PostAsJsonAsync("/api/calls/queue", new
        {
            phone_number = "+14155550123",
            campaign_id = "tracing",
            max_retries = 0,
            call_config = new { answer_url = "https://agent.example.com/answer" },
        });
        using var body = JsonDocument.Parse(await queued.Content.ReadAsStringAsync());
        var callId = body.RootElement.GetProperty("call_id").GetString()!;
        var call = await app.WaitForCallAsync(callId, c => c.Status.ToString() == "Completed");
        var parent = ActivityContext.Parse(call.TraceParent!, null);
        var trace = await WaitForAsync(
            () => spans.Where(span => span.TraceId == parent.TraceId).ToList(),
            found => found.Any(span => span.DisplayName == "Plivo callback hangup"));

        Assert.Multiple(() =>
        {
            Assert.That(trace.Single(span => span.SpanId == parent.SpanId).Source.Name, Is.EqualTo("Microsoft.AspNetCore"), "the request that queued the call");
            Assert.That(trace.Where(span => span.DisplayName.StartsWith("DialCallJob.", StringComparison.Ordinal)).Select(span => span.ParentSpanId), Has.Member(parent.SpanId), "its dial job, from the job's parameter");
            Assert.That(trace.Where(span => span.Source.Name == "System.Net.Http" && span.Kind == ActivityKind.Client).Select(span => span.GetTagItem("url.full")?.ToString()), Has.Some.Contains("/Call/"), "the create-call request to Plivo");
            Assert.That(trace.Where(span => span.DisplayName == "Plivo callback hangup").Select(span => span.ParentSpanId), Has.Member(parent.SpanId), "the hangup callback that settled it");
            Assert.That(trace.Select(span => span.DisplayName), Has.Member("Plivo callback ring"));
        });
    }

    [Test]
    public async Task Tracing_OtlpEndpointSet_RegistersTheTracerProviderOnlyThen()
    {
        await using var off = CallQueueApp.InMemory(new Dictionary<string, string?> { ["QUEUE_WORKERS"] = "0" });
        await using var on = CallQueueApp.InMemory(new Dictionary<string, string?>
        {
            ["QUEUE_WORKERS"] = "0",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{FreePort.Next()}",
        });

        Assert.Multiple(() =>
        {
            Assert.That(off.Services.GetService(typeof(TracerProvider)), Is.Null);
            Assert.That(on.Services.GetService(typeof(TracerProvider)), Is.Not.Null);
        });
    }

    private static async Task<List<Activity>> WaitForAsync(Func<List<Activity>> read, Func<List<Activity>, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var found = read();
        while (!done(found) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            found = read();
        }

        return found;
    }
}
