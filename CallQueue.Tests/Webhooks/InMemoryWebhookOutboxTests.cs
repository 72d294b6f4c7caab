using CallQueue.Jobs.Webhooks;
using Microsoft.Extensions.Time.Testing;

namespace CallQueue.Tests.Webhooks;

[TestFixture]
[Category("Unit")]
[Parallelizable(ParallelScope.All)]
public sealed class InMemoryWebhookOutboxTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task AddAsync_SameIdTwice_KeepsTheFirst()
    {
        var outbox = new InMemoryWebhookOutbox(new FakeTimeProvider(Now));

        var first = await outbox.AddAsync(Event("evt_1", sequence: 1), CancellationToken.None);
        var second = await outbox.AddAsync(Event("evt_1", sequence: 2), CancellationToken.None);

        var kept = await outbox.GetAsync("evt_1", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(first, Is.True);
            Assert.That(second, Is.False);
            Assert.That(kept!.Sequence, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task RecordTryAsync_ManyTries_KeepsTheLastTwentyAndTheStatus()
    {
        var outbox = new InMemoryWebhookOutbox(new FakeTimeProvider(Now));
        await outbox.AddAsync(Event("evt_1"), CancellationToken.None);

        for (var n = 1; n <= 25; n++)
        {
            await outbox.RecordTryAsync("evt_1", new WebhookDeliveryTry(Now, n, 500, 1, "500"), n == 25 ? WebhookEventStatus.Failed : WebhookEventStatus.Pending, CancellationToken.None);
        }

        var recorded = await outbox.GetAsync("evt_1", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(recorded!.Status, Is.EqualTo(WebhookEventStatus.Failed));
            Assert.That(recorded.Deliveries.Select(delivery => delivery.Try), Is.EqualTo(Enumerable.Range(6, 20)));
        });
    }

    [Test]
    public async Task Queries_SeveralEvents_AnswerByCallStatusAndTime()
    {
        var time = new FakeTimeProvider(Now);
        var outbox = new InMemoryWebhookOutbox(time);
        await outbox.AddAsync(Event("evt_2", sequence: 2, createdAt: Now.AddMinutes(1)), CancellationToken.None);
        await outbox.AddAsync(Event("evt_1", sequence: 1), CancellationToken.None);
        await outbox.AddAsync(Event("evt_3", sequence: 1, callId: "call_2", createdAt: Now.AddMinutes(2), status: WebhookEventStatus.Delivered), CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(5));

        var forCall = await outbox.GetForCallAsync("call_1", CancellationToken.None);
        var pendingOld = await outbox.GetPendingAsync(TimeSpan.FromMinutes(3), 10, CancellationToken.None);
        var pending = await outbox.CountPendingAsync(CancellationToken.None);
        var found = await outbox.FindAsync(Now.AddMinutes(1), Now.AddMinutes(3), 10, CancellationToken.None);
        var reset = await outbox.ResetAsync("evt_3", CancellationToken.None);
        var resetMissing = await outbox.ResetAsync("evt_9", CancellationToken.None);
        var pendingAfterReset = await outbox.CountPendingAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(forCall.Select(e => e.Id), Is.EqualTo(new[] { "evt_1", "evt_2" }));
            Assert.That(pendingOld, Is.EqualTo(new[] { "evt_1", "evt_2" }));
            Assert.That(pending, Is.EqualTo(2));
            Assert.That(found.Select(e => e.Id), Is.EqualTo(new[] { "evt_2", "evt_3" }));
            Assert.That(reset, Is.True);
            Assert.That(resetMissing, Is.False);
            Assert.That(pendingAfterReset, Is.EqualTo(3));
        });
    }

    [Test]
    public async Task MarkGoneAsync_Twice_KeepsTheFirstTime()
    {
        var outbox = new InMemoryWebhookOutbox(new FakeTimeProvider(Now));

        await outbox.MarkGoneAsync("https://backend.example.com/hooks", Now, CancellationToken.None);
        await outbox.MarkGoneAsync("https://backend.example.com/hooks", Now.AddHours(1), CancellationToken.None);

        Assert.That(await outbox.GetGoneAsync(CancellationToken.None), Is.EqualTo(new Dictionary<string, DateTimeOffset> { ["https://backend.example.com/hooks"] = Now }));
    }

    private static WebhookEvent Event(
        string id, long sequence = 1, string callId = "call_1", DateTimeOffset? createdAt = null, WebhookEventStatus status = WebhookEventStatus.Pending) => new()
    {
        Id = id,
        Type = WebhookEventTypes.AttemptEnded,
        CallId = callId,
        Sequence = sequence,
        CreatedAt = createdAt ?? Now,
        Url = "https://backend.example.com/hooks",
        Body = "{}",
        Status = status,
    };
}
