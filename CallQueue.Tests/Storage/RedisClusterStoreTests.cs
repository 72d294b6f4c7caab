using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Configuration;
using CallQueue.Jobs.Storage;
using CallQueue.Jobs.Throttling;
using CallQueue.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace CallQueue.Tests.Storage;

/// <summary>
/// <see cref="RedisCallStore"/> and <see cref="RedisCallCapacity"/> on a real three-node Redis Cluster, connected the way
/// the service connects (REDIS_URL of one node, parsed by <see cref="RedisUrl"/>), with a key prefix whose slot another
/// node serves: every script must name its keys for Redis Cluster to run it where they live.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class RedisClusterStoreTests
{
    private RedisCluster _cluster = null!;
    private ConnectionMultiplexer _redis = null!;
    private string _prefix = null!;
    private RedisCallStore _store = null!;

    [OneTimeSetUp]
    public async Task StartClusterAsync() => _cluster = await RedisCluster.StartNewAsync();

    [OneTimeTearDown]
    public async Task StopClusterAsync() => await _cluster.DisposeAsync();

    [SetUp]
    public async Task ConnectAsync()
    {
        _redis = await ConnectionMultiplexer.ConnectAsync(RedisUrl.Parse(_cluster.Url));
        _prefix = _cluster.NewKeyPrefix();
        _store = new RedisCallStore(_redis, _prefix, TimeProvider.System);
    }

    [TearDown]
    public async Task DisconnectAsync() => await _redis.DisposeAsync();

    [Test]
    public async Task CreateAsync_ChunkWithKeysBatchesAndCampaign_StoresOnTheNodeOfThePrefixSlot()
    {
        var batchId = "b-" + Guid.NewGuid().ToString("N");
        var calls = Enumerable.Range(0, 3)
            .Select(i => NewCall() with { BatchId = batchId, IdempotencyKey = i == 0 ? "k-" + Guid.NewGuid().ToString("N") : null })
            .ToList();

        var created = await _store.CreateAsync(calls, CancellationToken.None);

        var owner = _cluster.NodeServing(_prefix);
        var keysByNode = new List<List<RedisKey>>();
        foreach (var node in _cluster.Nodes)
        {
            keysByNode.Add(await KeysAsync(node));
        }

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(created, Is.EqualTo(calls.Select(call => new CreateCallResult(call.CallId, Created: true))));
            Assert.That(await _store.GetBatchCallIdsAsync(batchId, CancellationToken.None), Is.EqualTo(calls.Select(call => call.CallId)));
            Assert.That(
                (await _store.GetCampaignCallIdsAsync(calls[0].CampaignId, null, 10, CancellationToken.None)).Select(entry => entry.CallId),
                Is.EquivalentTo(calls.Select(call => call.CallId)));
            Assert.That(await _store.GetCallsAwaitingJobAsync(TimeSpan.Zero, 10, CancellationToken.None), Is.EquivalentTo(calls.Select(call => call.CallId)));
            Assert.That((await _store.CountByStatusAsync(CancellationToken.None))[CallStatus.Queued], Is.EqualTo(3));
            Assert.That(await _store.GetManyAsync(calls.Select(call => call.CallId).ToList(), CancellationToken.None), Has.Count.EqualTo(3));
            Assert.That(owner, Is.Not.SameAs(_cluster.Nodes[0]), "the node REDIS_URL names does not serve the prefix's slot");
            Assert.That(
                keysByNode.Select(keys => keys.Count),
                Is.EqualTo(_cluster.Nodes.Select(node => node == owner ? 3 + 5 + 3 + calls.Select(call => call.PhoneNumber).Distinct().Count() : 0)),
                "all on the slot's node: 3 calls, the idempotency key, batch, campaign, awaiting-job and counts, the campaign list, "
                + "the campaign's and the batch's tallies, the phone index");
        });
    }

    [Test]
    public async Task CreateAsync_SameIdOrIdempotencyKeyAgain_ReturnsTheStoredCallsAndCreatesNothing()
    {
        var keyed = NewCall() with { IdempotencyKey = "k-" + Guid.NewGuid().ToString("N") };
        var plain = NewCall();
        await _store.CreateAsync([keyed, plain], CancellationToken.None);

        var again = await _store.CreateAsync([keyed with { CallId = "call_other" }, plain], CancellationToken.None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(again, Is.EqualTo(new[] { new CreateCallResult(keyed.CallId, false), new CreateCallResult(plain.CallId, false) }));
            Assert.That(await _store.GetAsync("call_other", CancellationToken.None), Is.Null);
            Assert.That((await _store.CountByStatusAsync(CancellationToken.None))[CallStatus.Queued], Is.EqualTo(2));
        });
    }

    [Test]
    public async Task AssignJobAndUpdate_OnACluster_WriteTheRecordAndItsIndexes()
    {
        var call = NewCall();
        await _store.CreateAsync([call], CancellationToken.None);

        var owner = await _store.AssignJobAsync(call, "job-1", CancellationToken.None);
        var dialing = await _store.UpdateAsync(call.CallId, stored => stored with { Status = CallStatus.Dialing }, CancellationToken.None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(owner, Is.EqualTo("job-1"));
            Assert.That(dialing!.JobId, Is.EqualTo("job-1"));
            Assert.That((await _store.GetAsync(call.CallId, CancellationToken.None))!.Status, Is.EqualTo(CallStatus.Dialing));
            Assert.That(await _store.GetCallsAwaitingJobAsync(TimeSpan.Zero, 10, CancellationToken.None), Is.Empty);
            Assert.That(await _store.GetActiveCallIdsAsync(10, CancellationToken.None), Is.EqualTo(new[] { call.CallId }));
            Assert.That((await _store.CountByStatusAsync(CancellationToken.None))[CallStatus.Dialing], Is.EqualTo(1));
        });
    }

    [Test]
    public async Task WithdrawAsync_OnACluster_DeletesTheCallAndItsIndexEntries()
    {
        var call = NewCall() with { BatchId = "b-" + Guid.NewGuid().ToString("N"), IdempotencyKey = "k-" + Guid.NewGuid().ToString("N") };
        await _store.CreateAsync([call], CancellationToken.None);

        var withdrawn = await _store.WithdrawAsync(call, CancellationToken.None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(withdrawn, Is.True);
            Assert.That(await _store.GetAsync(call.CallId, CancellationToken.None), Is.Null);
            Assert.That(await _store.GetBatchCallIdsAsync(call.BatchId!, CancellationToken.None), Is.Empty);
            Assert.That((await _store.CountByStatusAsync(CancellationToken.None))[CallStatus.Queued], Is.Zero);
        });
    }

    [Test]
    public async Task RedisUrl_EveryNodeInStackExchangeForm_ReachesTheSameCluster()
    {
        var url = string.Join(',', _cluster.Nodes.Select(node => node.ConnectionString));
        await using var redis = await ConnectionMultiplexer.ConnectAsync(RedisUrl.Parse(url));
        var call = NewCall();

        await new RedisCallStore(redis, _prefix, TimeProvider.System).CreateAsync([call], CancellationToken.None);

        Assert.That((await _store.GetAsync(call.CallId, CancellationToken.None))?.CallId, Is.EqualTo(call.CallId), "read back through the one-node URL");
    }

    [Test]
    public async Task RedisCallCapacity_OnACluster_TakesAndReleasesSlotsAndRateTokens()
    {
        using var capacity = new RedisCallCapacity(_redis, _prefix, TimeProvider.System, NullLogger.Instance);
        var lease = TimeSpan.FromMinutes(1);

        var first = await capacity.TryAcquireSlotAsync("call-1", 2, lease, CancellationToken.None);
        var second = await capacity.TryAcquireSlotAsync("call-2", 2, lease, CancellationToken.None);
        var third = await capacity.TryAcquireSlotAsync("call-3", 2, lease, queueOrder: 1, CancellationToken.None);
        var held = await capacity.CountSlotsAsync(CancellationToken.None);
        await capacity.ReleaseSlotAsync("call-1", CancellationToken.None);
        var retried = await capacity.TryAcquireSlotAsync("call-3", 2, lease, queueOrder: 1, CancellationToken.None);
        await capacity.ReleaseSlotAsync("call-2", CancellationToken.None);
        await capacity.ReleaseSlotAsync("call-3", CancellationToken.None);
        await capacity.LeaveSlotQueueAsync("call-4", CancellationToken.None);
        var token = await capacity.TryTakeRateTokenAsync(1, CancellationToken.None);
        var tooSoon = await capacity.TryTakeRateTokenAsync(1, CancellationToken.None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(new[] { first.Acquired, second.Acquired, third.Acquired, retried.Acquired }, Is.EqualTo(new[] { true, true, false, true }));
            Assert.That(held, Is.EqualTo(2));
            Assert.That(await capacity.CountSlotsAsync(CancellationToken.None), Is.Zero, "every slot released");
            Assert.That(token, Is.EqualTo(TimeSpan.Zero), "the first token is granted");
            Assert.That(tooSoon, Is.GreaterThan(TimeSpan.Zero), "the second waits at 1/s");
            Assert.That(await capacity.CountGrantsAsync(TimeSpan.FromMinutes(1), CancellationToken.None), Is.EqualTo(1));
        });
    }

    private async Task<List<RedisKey>> KeysAsync(RedisServer node)
    {
        var keys = new List<RedisKey>();
        await foreach (var key in _cluster.Client.GetServer(node.ConnectionString).KeysAsync(pattern: "{" + _prefix + "}*"))
        {
            keys.Add(key);
        }

        return keys;
    }

    private static CallRecord NewCall() => new()
    {
        CallId = "call_" + Guid.NewGuid().ToString("N"),
        PhoneNumber = "+919123456789",
        CampaignId = "cluster",
        Config = new CallConfig { AnswerUrl = "https://a.example/answer" },
        CreatedAt = DateTimeOffset.UtcNow,
        UpdatedAt = DateTimeOffset.UtcNow,
    };
}
