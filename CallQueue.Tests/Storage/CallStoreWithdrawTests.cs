using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Storage;
using StackExchange.Redis;

namespace CallQueue.Tests.Storage;

/// <summary>
/// <see cref="ICallStore.WithdrawAsync"/>, on both stores: a call stored exactly as a failed request wrote it is taken
/// back with its index entries; one that moved on (a dial job, another request's call under the id) is left alone.
/// </summary>
[TestFixture("redis")]
[TestFixture("memory")]
public sealed class CallStoreWithdrawTests(string storage)
{
    private ConnectionMultiplexer? _redis;
    private ICallStore _store = null!;

    [SetUp]
    public async Task CreateStoreAsync()
    {
        if (storage == "redis")
        {
            _redis = await ConnectionMultiplexer.ConnectAsync(SharedRedis.Server.ConnectionString);
            _store = new RedisCallStore(_redis, SharedRedis.NewKeyPrefix(), TimeProvider.System);
        }
        else
        {
            _store = new InMemoryCallStore(TimeProvider.System);
        }
    }

    [TearDown]
    public async Task DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    [Test]
    public async Task WithdrawAsync_StoredAsWritten_DeletesTheCallAndItsIndexEntries()
    {
        var call = NewCall() with { BatchId = "b-" + Guid.NewGuid().ToString("N"), IdempotencyKey = "k-" + Guid.NewGuid().ToString("N") };
        await _store.CreateAsync([call], CancellationToken.None);

        var withdrawn = await _store.WithdrawAsync(call, CancellationToken.None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(withdrawn, Is.True);
            Assert.That(await _store.GetAsync(call.CallId, CancellationToken.None), Is.Null);
            Assert.That(await _store.GetBatchCallIdsAsync(call.BatchId!, CancellationToken.None), Is.Empty);
            Assert.That(await _store.GetCampaignCallIdsAsync(call.CampaignId, null, 10, CancellationToken.None), Is.Empty);
            Assert.That(await _store.GetCallsAwaitingJobAsync(TimeSpan.Zero, 10, CancellationToken.None), Does.Not.Contain(call.CallId));
            Assert.That((await _store.CountByStatusAsync(CancellationToken.None)).GetValueOrDefault(CallStatus.Queued), Is.Zero);
            Assert.That((await _store.CreateAsync([call], CancellationToken.None))[0].Created, Is.True, "the id and the key are free again");
        });
    }

    [Test]
    public async Task WithdrawAsync_DialJobAssignedMeanwhile_LeavesTheCall()
    {
        var call = NewCall();
        await _store.CreateAsync([call], CancellationToken.None);
        await _store.AssignJobAsync(call, "job-1", CancellationToken.None);

        Assert.That(await _store.WithdrawAsync(call, CancellationToken.None), Is.False);
        Assert.That((await _store.GetAsync(call.CallId, CancellationToken.None))!.JobId, Is.EqualTo("job-1"));
    }

    [Test]
    public async Task WithdrawAsync_AnotherRequestsCallUnderTheId_LeavesIt()
    {
        var theirs = NewCall();
        await _store.CreateAsync([theirs], CancellationToken.None);
        var ours = theirs with { CreatedAt = theirs.CreatedAt.AddSeconds(1), PhoneNumber = "+14155550123" };

        Assert.That(await _store.WithdrawAsync(ours, CancellationToken.None), Is.False, "our write never landed: the id was taken");
        Assert.That((await _store.GetAsync(theirs.CallId, CancellationToken.None))!.PhoneNumber, Is.EqualTo(theirs.PhoneNumber));
    }

    [Test]
    public async Task WithdrawAsync_NeverStored_ReturnsFalse() =>
        Assert.That(await _store.WithdrawAsync(NewCall(), CancellationToken.None), Is.False);

    private static CallRecord NewCall() => new()
    {
        CallId = "call_" + Guid.NewGuid().ToString("N"),
        PhoneNumber = "+919123456789",
        CampaignId = "withdraw-" + Guid.NewGuid().ToString("N")[..8],
        Config = new CallConfig { AnswerUrl = "https://a.example/answer" },
        CreatedAt = DateTimeOffset.UtcNow,
        UpdatedAt = DateTimeOffset.UtcNow,
    };
}
