using System.Globalization;
using CallQueue.Jobs.Webhooks;
using CallQueue.Tests.Support;

namespace CallQueue.Tests.Webhooks;

/// <summary>One event's delivery against a real receiver on loopback: headers, answers, the schedule, 410 Gone and order.</summary>
[TestFixture]
[Category("Unit")]
[Parallelizable(ParallelScope.All)]
public sealed class DeliverWebhookJobTests
{
    private static readonly TimeSpan FirstDelay = WebhookDeliverySettings.DefaultRetryDelays[0];

    [Test]
    public async Task RunAsync_EndpointAnswers200_DeliversOnceWithTheSignatureHeadersAndTheBearerKey()
    {
        await using var harness = await DeliveryHarness.StartAsync();
        var sent = await harness.AddAsync();

        await harness.RunAsync();

        var timestamp = DeliveryHarness.Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var received = harness.Receiver.Received;
        var delivered = await harness.EventAsync();
        Assert.That(received, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(received[0].Path, Is.EqualTo("/hooks"));
            Assert.That(received[0].Body, Is.EqualTo(sent.Body));
            Assert.That(received[0].Headers["webhook-id"], Is.EqualTo("evt_1"));
            Assert.That(received[0].Headers["webhook-timestamp"], Is.EqualTo(timestamp));
            Assert.That(received[0].Headers["webhook-signature"], Is.EqualTo($"v1,evt_1.{timestamp}.{sent.Body.Length}"));
            Assert.That(received[0].Headers["content-type"], Does.StartWith("application/json"));
            Assert.That(received[0].Headers["authorization"], Is.EqualTo("Bearer key-123"));
            Assert.That(delivered.Status, Is.EqualTo(WebhookEventStatus.Delivered));
            Assert.That(delivered.Deliveries, Has.Count.EqualTo(1));
            Assert.That(delivered.Deliveries[0] with { LatencyMs = 0 }, Is.EqualTo(new WebhookDeliveryTry(DeliveryHarness.Now, 1, 200, 0, null)));
        });
    }

    [Test]
    public async Task RunAsync_NoBearerKey_SendsNoAuthorizationHeader()
    {
        await using var harness = await DeliveryHarness.StartAsync(WebhookDeliverySettings.Default);
        await harness.AddAsync();

        await harness.RunAsync();

        Assert.That(harness.Receiver.Received.Single().Headers.ContainsKey("authorization"), Is.False);
    }

    [Test]
    public async Task RunAsync_AlreadyDelivered_SendsNothing()
    {
        await using var harness = await DeliveryHarness.StartAsync();
        await harness.AddAsync(status: WebhookEventStatus.Delivered, tries: 1);

        await harness.RunAsync();

        Assert.That(harness.Receiver.Received, Is.Empty);
    }

    [Test]
    public async Task RunAsync_Endpoint500_RecordsTheTryAndRetriesAfterTheFirstDelayWithinTenPercent()
    {
        await using var harness = await DeliveryHarness.StartAsync();
        harness.Receiver.Reply = _ => new WebhookReply(500);
        await harness.AddAsync();

        var retry = Assert.ThrowsAsync<DeliveryRetryException>(() => harness.RunAsync());

        var pending = await harness.EventAsync();
        Assert.Multiple(() =>
        {
            Assert.That(retry!.Delay, Is.InRange(FirstDelay * 0.9, FirstDelay * 1.1));
            Assert.That(retry.Message, Does.StartWith($"Webhook call.completed to {harness.Receiver.Url}: 500 Internal Server Error on try 1 → try 2 in "));
            Assert.That(pending.Status, Is.EqualTo(WebhookEventStatus.Pending));
            Assert.That(pending.Deliveries.Single().StatusCode, Is.EqualTo(500));
            Assert.That(pending.Deliveries.Single().Error, Is.EqualTo("500 Internal Server Error"));
        });
    }

    [Test]
    public async Task RunAsync_ThirdTry_TakesItsNumberFromTheRecordedTriesAndTheThirdDelay()
    {
        await using var harness = await DeliveryHarness.StartAsync();
        harness.Receiver.Reply = _ => new WebhookReply(503);
        await harness.AddAsync(tries: 2);

        var retry = Assert.ThrowsAsync<DeliveryRetryException>(() => harness.RunAsync());

        var third = WebhookDeliverySettings.DefaultRetryDelays[2];
        var tries = (await harness.EventAsync()).Deliveries.Select(delivery => delivery.Try);
        Assert.Multiple(() =>
        {
            Assert.That(retry!.Delay, Is.InRange(third * 0.9, third * 1.1));
            Assert.That(tries, Is.EqualTo(new[] { 1, 2, 3 }));
        });
    }

    [Test]
    public async Task RunAsync_RetryAfterSecondsLongerThanTheDelay_WaitsThatLong()
    {
        await using var harness = await DeliveryHarness.StartAsync();
        harness.Receiver.Reply = _ => WebhookReply.With(429, "Retry-After", "120");
        await harness.AddAsync();

        var retry = Assert.ThrowsAsync<DeliveryRetryException>(() => harness.RunAsync());

        Assert.Multiple(() =>
        {
            Assert.That(retry!.Delay, Is.EqualTo(TimeSpan.FromSeconds(120)));
            Assert.That(retry.Message, Does.EndWith("try 2 in 2 min (its Retry-After)"));
        });
    }

    [Test]
    public async Task RunAsync_RetryAfterShorterThanTheDelay_KeepsTheSchedule()
    {
        await using var harness = await DeliveryHarness.StartAsync();
        harness.Receiver.Reply = _ => WebhookReply.With(429, "Retry-After", "1");
        await harness.AddAsync();

        var retry = Assert.ThrowsAsync<DeliveryRetryException>(() => harness.RunAsync());

        Assert.That(retry!.Delay, Is.InRange(FirstDelay * 0.9, FirstDelay * 1.1));
    }

    [Test]
    public async Task RunAsync_RetryAfterHttpDate_WaitsUntilThatDate()
    {
        await using var harness = await DeliveryHarness.StartAsync();
        var until = DeliveryHarness.Now.AddHours(2);
        harness.Receiver.Reply = _ => WebhookReply.With(503, "Retry-After", until.ToString("R", CultureInfo.InvariantCulture));
        await harness.AddAsync();

        var retry = Assert.ThrowsAsync<DeliveryRetryException>(() => harness.RunAsync());

        Assert.That(retry!.Delay, Is.EqualTo(TimeSpan.FromHours(2)));
    }

    [Test]
    public async Task RunAsync_Redirect_IsNotFollowedAndIsAFailedTryWithItsStatus()
    {
        await using var harness = await DeliveryHarness.StartAsync();
        harness.Receiver.Reply = received => received.Path == "/hooks" ? WebhookReply.With(302, "Location", harness.Receiver.BaseUrl + "/elsewhere") : WebhookReply.Ok;
        await harness.AddAsync();

        var retry = Assert.ThrowsAsync<DeliveryRetryException>(() => harness.RunAsync());

        var pending = await harness.EventAsync();
        Assert.Multiple(() =>
        {
            Assert.That(harness.Receiver.Received.Select(received => received.Path), Is.EqualTo(new[] { "/hooks" }), "only the first request");
            Assert.That(pending.Status, Is.EqualTo(WebhookEventStatus.Pending));
            Assert.That(pending.Deliveries.Single().StatusCode, Is.EqualTo(302));
            Assert.That(retry!.Message, Does.Contain("302 Found (redirects are not followed)"));
        });
    }

    [Test]
    public async Task RunAsync_Endpoint410_MarksTheEventAndTheEndpointGoneAndSendsNoLaterEventThere()
    {
        await using var harness = await DeliveryHarness.StartAsync();
        harness.Receiver.Reply = _ => new WebhookReply(410);
        await harness.AddAsync("evt_1", sequence: 1);
        await harness.AddAsync("evt_2", sequence: 2);

        var gone = Assert.ThrowsAsync<DeliveryFailedException>(() => harness.RunAsync("evt_1"));
        var stopped = Assert.ThrowsAsync<DeliveryStoppedException>(() => harness.RunAsync("evt_2"));

        var endpoints = await harness.Outbox.GetGoneAsync(CancellationToken.None);
        var first = await harness.EventAsync("evt_1");
        var later = await harness.EventAsync("evt_2");
        Assert.Multiple(() =>
        {
            Assert.That(gone!.Message, Does.Contain("answered 410 Gone on try 1: delivery to that endpoint stopped"));
            Assert.That(first.Status, Is.EqualTo(WebhookEventStatus.Gone));
            Assert.That(endpoints, Is.EqualTo(new Dictionary<string, DateTimeOffset> { [harness.Receiver.Url] = DeliveryHarness.Now }));
            Assert.That(harness.Receiver.Received, Has.Count.EqualTo(1), "the later event is not sent");
            Assert.That(later.Status, Is.EqualTo(WebhookEventStatus.Gone));
            Assert.That(later.Deliveries.Single().StatusCode, Is.Null);
            Assert.That(stopped!.Message, Does.Contain("Not sent: " + harness.Receiver.Url + " answered 410 Gone at 2026-12-07 10:00:00 UTC"));
        });
    }

    [Test]
    public async Task RunAsync_LastTryFails_GivesTheEventUpWithTheLastAnswer()
    {
        await using var harness = await DeliveryHarness.StartAsync();
        harness.Receiver.Reply = _ => new WebhookReply(500);
        await harness.AddAsync(tries: WebhookDeliverySettings.DefaultRetryDelays.Count);

        var failed = Assert.ThrowsAsync<DeliveryFailedException>(() => harness.RunAsync());

        var given = await harness.EventAsync();
        Assert.Multiple(() =>
        {
            Assert.That(failed!.Message, Is.EqualTo($"Webhook call.completed to {harness.Receiver.Url} failed after 8 tries: 500 Internal Server Error"));
            Assert.That(given.Status, Is.EqualTo(WebhookEventStatus.Failed));
            Assert.That(given.Deliveries[^1].Try, Is.EqualTo(8));
        });
    }

    [Test]
    public async Task RunAsync_PreviousEventOfTheCallPending_WaitsWithoutSendingThenGoesOnceItIsDelivered()
    {
        await using var harness = await DeliveryHarness.StartAsync();
        await harness.AddAsync("evt_1", sequence: 1);
        await harness.AddAsync("evt_2", sequence: 2);

        var wait = Assert.ThrowsAsync<DeliveryRetryException>(() => harness.RunAsync("evt_2"));
        var sentWhileWaiting = harness.Receiver.Received.Count;
        var triesWhileWaiting = (await harness.EventAsync("evt_2")).Deliveries.Count;
        await harness.RunAsync("evt_1");
        await harness.RunAsync("evt_2");

        Assert.Multiple(() =>
        {
            Assert.That(wait!.Message, Is.EqualTo("Waiting for event 1 of call_1 (call.completed, evt_1) to be delivered or given up"));
            Assert.That(wait.Delay, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(sentWhileWaiting, Is.Zero);
            Assert.That(triesWhileWaiting, Is.Zero, "a wait is not a try");
            Assert.That(harness.Receiver.Received.Select(received => received.Headers["webhook-id"]), Is.EqualTo(new[] { "evt_1", "evt_2" }));
        });
    }

    [TestCase(WebhookEventStatus.Failed)]
    [TestCase(WebhookEventStatus.Gone)]
    public async Task RunAsync_PreviousEventGivenUp_DoesNotWait(WebhookEventStatus previous)
    {
        await using var harness = await DeliveryHarness.StartAsync();
        await harness.AddAsync("evt_1", sequence: 1, status: previous, tries: 1);
        await harness.AddAsync("evt_2", sequence: 2);

        await harness.RunAsync("evt_2");

        Assert.That((await harness.EventAsync("evt_2")).Status, Is.EqualTo(WebhookEventStatus.Delivered));
    }

    [Test]
    public async Task RunAsync_EndpointNeverAnswers_GivesUpTheTryAtTheTimeoutAndRetries()
    {
        var settings = new WebhookDeliverySettings(null, WebhookDeliverySettings.DefaultRetryDelays) { RequestTimeout = TimeSpan.FromMilliseconds(300) };
        await using var harness = await DeliveryHarness.StartAsync(settings);
        harness.Receiver.Reply = _ => WebhookReply.Never;
        await harness.AddAsync();

        var retry = Assert.ThrowsAsync<DeliveryRetryException>(() => harness.RunAsync());

        var pending = await harness.EventAsync();
        Assert.Multiple(() =>
        {
            Assert.That(retry!.Message, Does.Contain("no answer within 300 ms on try 1"));
            Assert.That(pending.Deliveries.Single().StatusCode, Is.Null);
            Assert.That(pending.Deliveries.Single().LatencyMs, Is.GreaterThanOrEqualTo(290));
            Assert.That(pending.Status, Is.EqualTo(WebhookEventStatus.Pending));
        });
    }

    [Test]
    public async Task RunAsync_EndpointUnreachable_IsAFailedTryWithoutStatus()
    {
        await using var harness = await DeliveryHarness.StartAsync();
        await harness.AddAsync(url: $"http://127.0.0.1:{Infrastructure.FreePort.Next()}/hooks");

        var retry = Assert.ThrowsAsync<DeliveryRetryException>(() => harness.RunAsync());

        var failed = await harness.EventAsync();
        Assert.Multiple(() =>
        {
            Assert.That(retry!.Message, Does.Contain("unreachable: "));
            Assert.That(failed.Deliveries.Single().StatusCode, Is.Null);
        });
    }
}
