using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Storage;

namespace CallQueue.Tests.Storage;

/// <summary><see cref="ICallStore.CreateAsync"/>: new calls, duplicates by id and by idempotency key, and the batch index.</summary>
public abstract partial class CallStoreContract
{
    /// <summary>How long an idempotency key holds (RedisCallStore sets it as the key's TTL).</summary>
    private static readonly TimeSpan IdempotencyKeyLifetime = TimeSpan.FromDays(7);

    [Test]
    public async Task CreateAsync_NewCall_StoresItAsGivenQueuedAndAwaitingItsJob()
    {
        var call = NewCall("call_a");

        var results = await Store.CreateAsync([call], None);

        Assert.That(results, Is.EqualTo(new[] { new CreateCallResult("call_a", Created: true) }));
        Assert.That(Json(await Store.GetAsync("call_a", None)), Is.EqualTo(Json(call)));
        Assert.That(await CountAsync(CallStatus.Queued), Is.EqualTo(1));
        Assert.That(await Store.GetCallsAwaitingJobAsync(TimeSpan.Zero, 10, None), Is.EqualTo(new[] { "call_a" }));
    }

    [Test]
    public async Task CreateAsync_CallIdTaken_ReportsDuplicateAndKeepsTheStoredCall()
    {
        var first = NewCall("call_a");
        await Store.CreateAsync([first], None);

        var results = await Store.CreateAsync([first with { PhoneNumber = "+14155550123" }], None);

        Assert.That(results, Is.EqualTo(new[] { new CreateCallResult("call_a", Created: false) }));
        Assert.That(Json(await Store.GetAsync("call_a", None)), Is.EqualTo(Json(first)));
        Assert.That(await CountAsync(CallStatus.Queued), Is.EqualTo(1));
        Assert.That(await Store.GetCampaignCallIdsAsync(first.CampaignId, null, 10, None), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task CreateAsync_IdempotencyKeyInUse_ReturnsTheFirstCallAndStoresNothing()
    {
        await Store.CreateAsync([NewCall("call_a") with { IdempotencyKey = "key-1" }], None);

        var results = await Store.CreateAsync([NewCall("call_b") with { IdempotencyKey = "key-1" }], None);

        Assert.That(results, Is.EqualTo(new[] { new CreateCallResult("call_a", Created: false) }));
        Assert.That(await Store.GetAsync("call_b", None), Is.Null);
        Assert.That(await CountAsync(CallStatus.Queued), Is.EqualTo(1));
        Assert.That(await Store.GetCallsAwaitingJobAsync(TimeSpan.Zero, 10, None), Is.EqualTo(new[] { "call_a" }));
    }

    [Test]
    public async Task CreateAsync_SameIdempotencyKeyTwiceInOneRequest_CreatesTheFirstOnly()
    {
        var results = await Store.CreateAsync(
            [NewCall("call_a") with { IdempotencyKey = "key-1" }, NewCall("call_b") with { IdempotencyKey = "key-1" }], None);

        Assert.That(results, Is.EqualTo(new[] { new CreateCallResult("call_a", true), new CreateCallResult("call_a", false) }));
        Assert.That(await Store.GetAsync("call_b", None), Is.Null);
    }

    [Test]
    public async Task CreateAsync_IdempotencyKeyAlmostSevenDaysOld_StillReturnsTheFirstCall()
    {
        await Store.CreateAsync([NewCall("call_a") with { IdempotencyKey = "key-1" }], None);

        await LetTimePassAsync(IdempotencyKeyLifetime - TimeSpan.FromMinutes(1));

        var results = await Store.CreateAsync([NewCall("call_b") with { IdempotencyKey = "key-1" }], None);
        Assert.That(results, Is.EqualTo(new[] { new CreateCallResult("call_a", Created: false) }));
    }

    [Test]
    public async Task CreateAsync_IdempotencyKeyOverSevenDaysOld_CreatesTheNewCallUnderIt()
    {
        await Store.CreateAsync([NewCall("call_a") with { IdempotencyKey = "key-1" }], None);
        await LetTimePassAsync(TimeSpan.FromDays(6));
        var hit = await Store.CreateAsync([NewCall("call_b") with { IdempotencyKey = "key-1" }], None);

        await LetTimePassAsync(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));

        var expired = await Store.CreateAsync([NewCall("call_c") with { IdempotencyKey = "key-1" }], None);
        var again = await Store.CreateAsync([NewCall("call_d") with { IdempotencyKey = "key-1" }], None);
        Assert.That(hit[0], Is.EqualTo(new CreateCallResult("call_a", Created: false)));
        Assert.That(expired[0], Is.EqualTo(new CreateCallResult("call_c", Created: true)), "7 days from its creation; a hit does not extend it");
        Assert.That(again[0], Is.EqualTo(new CreateCallResult("call_c", Created: false)), "the key now names the new call");
        Assert.That(await Store.GetAsync("call_a", None), Is.Not.Null, "the call itself does not expire");
    }

    [Test]
    public async Task CreateAsync_Batch_IndexesItsCallsInRequestOrderOnce()
    {
        var calls = new[] { "call_c", "call_a", "call_b" }.Select(id => NewCall(id) with { BatchId = "batch-1" }).ToList();
        await Store.CreateAsync(calls, None);

        await Store.CreateAsync([calls[1], NewCall("call_d") with { BatchId = "batch-1" }], None);

        Assert.That(await Store.GetBatchCallIdsAsync("batch-1", None), Is.EqualTo(new[] { "call_c", "call_a", "call_b", "call_d" }));
        Assert.That(await Store.GetBatchCallIdsAsync("batch-unknown", None), Is.Empty);
    }
}
