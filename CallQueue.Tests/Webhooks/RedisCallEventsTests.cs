using System.Text.Json;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Storage;
using CallQueue.Jobs.Webhooks;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace CallQueue.Tests.Webhooks;

/// <summary>
/// The call store records a change's webhook events in the same atomic write as the change (issue 13): on the shared
/// redis-server, a new key prefix per test.
/// </summary>
[TestFixture]
[Category("Redis")]
public sealed class RedisCallEventsTests
{
    private const string Backend = "https://backend.example.com/hooks";

    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    private static readonly string First = CallWebhookEvents.EventId("call_1", 1);

    private ConnectionMultiplexer _redis = null!;
    private RedisCallStore _store = null!;
    private RedisWebhookOutbox _outbox = null!;

    [OneTimeSetUp]
    public async Task ConnectAsync() => _redis = await ConnectionMultiplexer.ConnectAsync(SharedRedis.Server.ConnectionString);

    [OneTimeTearDown]
    public async Task DisconnectAsync() => await _redis.DisposeAsync();

    [SetUp]
    public void NewStore()
    {
        var prefix = SharedRedis.NewKeyPrefix();
        var clock = new FakeTimeProvider(Now);
        _store = new RedisCallStore(_redis, prefix, clock, new CallWebhookEvents(call => call.CampaignId == "quiet" ? null : Backend));
        _outbox = new RedisWebhookOutbox(_redis, prefix, clock);
    }

    [Test]
    public async Task UpdateAsync_AttemptEndsAndTheCallCompletes_RecordsBothEventsInSequenceWithTheCall()
    {
        await _store.CreateAsync([Call("call_1")], CancellationToken.None);
        await _store.UpdateAsync("call_1", call => call with { Status = CallStatus.Dialing, Attempts = [new CallAttempt { Number = 1, StartedAt = Now }] }, CancellationToken.None);

        var written = await _store.UpdateAsync("call_1", call => call with
        {
            Status = CallStatus.Completed,
            StatusReason = "Answered",
            Attempts = [call.Attempts[0] with { Outcome = CallOutcome.Answered, EndedAt = Now }],
        }, CancellationToken.None);

        var events = await _outbox.GetForCallAsync("call_1", CancellationToken.None);
        var pending = await _outbox.GetPendingAsync(TimeSpan.Zero, 10, CancellationToken.None);
        using var body = JsonDocument.Parse(events[1].Body);
        Assert.Multiple(() =>
        {
            Assert.That(events.Select(e => (e.Type, e.Sequence, e.Id)), Is.EqualTo(new[]
            {
                ("call.attempt_ended", 1L, CallWebhookEvents.EventId("call_1", 1)),
                ("call.completed", 2L, CallWebhookEvents.EventId("call_1", 2)),
            }));
            Assert.That(written!.EventSequence, Is.EqualTo(2), "the call knows its last event");
            Assert.That(events, Has.All.Property(nameof(WebhookEvent.Url)).EqualTo(Backend));
            Assert.That(events, Has.All.Property(nameof(WebhookEvent.Status)).EqualTo(WebhookEventStatus.Pending));
            Assert.That(pending, Is.EqualTo(new[] { CallWebhookEvents.EventId("call_1", 1), CallWebhookEvents.EventId("call_1", 2) }), "waiting for their delivery jobs");
            Assert.That(body.RootElement.GetProperty("type").GetString(), Is.EqualTo("call.completed"));
            Assert.That(body.RootElement.GetProperty("data").GetProperty("call_id").GetString(), Is.EqualTo("call_1"));
            Assert.That(body.RootElement.GetProperty("data").GetProperty("status").GetString(), Is.EqualTo("completed"));
            Assert.That(body.RootElement.GetProperty("data").GetProperty("sequence").GetInt64(), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task UpdateAsync_NothingEnded_RecordsNothing()
    {
        await _store.CreateAsync([Call("call_1")], CancellationToken.None);

        await _store.UpdateAsync("call_1", call => call with { StatusReason = "still waiting" }, CancellationToken.None);

        Assert.That(await _outbox.GetForCallAsync("call_1", CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task CreateAsync_CallStoredBlocked_RecordsItsTerminalEventWithIt()
    {
        await _store.CreateAsync([Call("call_1") with { Status = CallStatus.Blocked }, Call("call_2")], CancellationToken.None);

        var blocked = await _outbox.GetForCallAsync("call_1", CancellationToken.None);
        var queued = await _outbox.GetForCallAsync("call_2", CancellationToken.None);
        var stored = await _store.GetAsync("call_1", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(blocked.Select(e => e.Type), Is.EqualTo(new[] { "call.blocked" }));
            Assert.That(stored!.EventSequence, Is.EqualTo(1));
            Assert.That(queued, Is.Empty);
        });
    }

    [Test]
    public async Task WithdrawAsync_BlockedCallAnswered503_TakesItsEventBackToo()
    {
        var blocked = Call("call_1") with { Status = CallStatus.Blocked };
        await _store.CreateAsync([blocked], CancellationToken.None);

        var withdrawn = await _store.WithdrawAsync(blocked, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(withdrawn, Is.True);
            Assert.That(await _outbox.GetAsync(First, CancellationToken.None), Is.Null, "nothing is said of a call that was never accepted");
            Assert.That(await _outbox.GetForCallAsync("call_1", CancellationToken.None), Is.Empty);
            Assert.That(await _outbox.CountPendingAsync(CancellationToken.None), Is.Zero);
            Assert.That(await _outbox.GetPendingAsync(TimeSpan.Zero, 10, CancellationToken.None), Is.Empty);
        });
    }

    [Test]
    public async Task UpdateAsync_WebhooksOffForTheCall_RecordsNothing()
    {
        await _store.CreateAsync([Call("call_1") with { CampaignId = "quiet" }], CancellationToken.None);

        await _store.UpdateAsync("call_1", call => call with { Status = CallStatus.Cancelled }, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(await _outbox.GetForCallAsync("call_1", CancellationToken.None), Is.Empty);
            Assert.That(await _outbox.CountPendingAsync(CancellationToken.None), Is.Zero);
        });
    }

    [Test]
    public async Task Outbox_TriesAndStatus_AreKeptAndThePendingCountFollows()
    {
        await _store.CreateAsync([Call("call_1") with { Status = CallStatus.Blocked }], CancellationToken.None);
        await _outbox.MarkDispatchedAsync([First], CancellationToken.None);

        await _outbox.RecordTryAsync(First, new WebhookDeliveryTry(Now, 1, 500, 12.5, "500 Internal Server Error"), WebhookEventStatus.Pending, CancellationToken.None);
        var stillPending = await _outbox.CountPendingAsync(CancellationToken.None);
        await _outbox.RecordTryAsync(First, new WebhookDeliveryTry(Now.AddSeconds(5), 2, 204, 3.1, null), WebhookEventStatus.Delivered, CancellationToken.None);

        var delivered = await _outbox.GetAsync(First, CancellationToken.None);
        Assert.Multiple(async () =>
        {
            Assert.That(stillPending, Is.EqualTo(1));
            Assert.That(await _outbox.CountPendingAsync(CancellationToken.None), Is.Zero);
            Assert.That(await _outbox.GetPendingAsync(TimeSpan.Zero, 10, CancellationToken.None), Is.Empty, "its job exists");
            Assert.That(delivered!.Status, Is.EqualTo(WebhookEventStatus.Delivered));
            Assert.That(delivered.Deliveries.Select(d => d.StatusCode), Is.EqualTo(new int?[] { 500, 204 }));
            Assert.That(await _outbox.ResetAsync(First, CancellationToken.None), Is.True);
            Assert.That(await _outbox.CountPendingAsync(CancellationToken.None), Is.EqualTo(1), "a redelivery is pending again");
            Assert.That((await _outbox.FindAsync(Now.AddMinutes(-1), Now.AddMinutes(1), 10, CancellationToken.None)).Select(e => e.Id), Is.EqualTo(new[] { First }));
        });
    }

    [Test]
    public async Task AddAsync_SameIdTwice_AddsOnce()
    {
        var batchEvent = new WebhookEvent { Id = "evt_batch_b1", Type = "batch.completed", BatchId = "b1", CreatedAt = Now, Url = Backend, Body = "{}" };

        Assert.Multiple(async () =>
        {
            Assert.That(await _outbox.AddAsync(batchEvent, CancellationToken.None), Is.True);
            Assert.That(await _outbox.AddAsync(batchEvent, CancellationToken.None), Is.False, "batch.completed is recorded once");
        });
    }

    private static CallRecord Call(string callId) => new()
    {
        CallId = callId,
        PhoneNumber = "+919876543210",
        CampaignId = "spring",
        Config = new CallConfig { AnswerUrl = "https://agent.example.com/answer" },
        CreatedAt = Now,
        UpdatedAt = Now,
    };
}
