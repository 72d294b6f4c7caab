using CallQueue.Jobs.Safety;
using CallQueue.Jobs.Configuration;
using CallQueue.Tests.Infrastructure;
using StackExchange.Redis;

namespace CallQueue.Tests.Safety;

/// <summary>
/// <see cref="RedisDoNotCallList"/> on a real three-node Redis Cluster, connected the way the service connects, with a
/// key prefix whose slot another node serves: its scripts name every bucket and the side hash in KEYS, so the cluster
/// runs them where the keys live.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class RedisClusterDoNotCallListTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 9, 30, 0, TimeSpan.Zero);

    private RedisCluster _cluster = null!;

    [OneTimeSetUp]
    public async Task StartClusterAsync() => _cluster = await RedisCluster.StartNewAsync();

    [OneTimeTearDown]
    public async Task StopClusterAsync() => await _cluster.DisposeAsync();

    [Test]
    public async Task EveryOperation_OnAPrefixServedByAnotherNode_WorksAndKeepsEveryKeyOnThatNode()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(RedisUrl.Parse(_cluster.Url));
        var prefix = _cluster.NewKeyPrefix();
        var list = new RedisDoNotCallList(redis, prefix);
        var numbers = Enumerable.Range(0, 3_000).Select(i => "+91" + (9_876_000_000L + (i * 7_919L)).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();

        var added = await list.AddAsync(numbers, new DoNotCallEntry(null, null, DoNotCallSource.Api, At), CancellationToken.None);
        await list.AddAsync([numbers[0]], new DoNotCallEntry("c1", new string('r', 200), DoNotCallSource.Agent, At), CancellationToken.None);
        var blocked = await list.IsBlockedAsync(numbers[0], "c1", CancellationToken.None);
        var entries = await list.GetAsync(numbers[0], CancellationToken.None);
        var removed = await list.RemoveAsync(numbers[0], "c1", CancellationToken.None);

        var owner = _cluster.NodeServing(prefix);
        var keysByNode = new List<int>();
        foreach (var node in _cluster.Nodes)
        {
            await using var direct = await ConnectionMultiplexer.ConnectAsync(node.ConnectionString);
            var count = 0;
            await foreach (var _ in direct.GetServer(direct.GetEndPoints()[0]).KeysAsync(pattern: "{" + prefix + "}:*"))
            {
                count++;
            }

            keysByNode.Add(count);
        }

        Assert.Multiple(() =>
        {
            Assert.That(added, Has.Count.EqualTo(3_000).And.All.True);
            Assert.That(blocked, Is.EqualTo(new DoNotCallEntry(null, null, DoNotCallSource.Api, At)), "the global entry wins");
            Assert.That(entries, Has.Count.EqualTo(2));
            Assert.That(removed, Is.True);
            Assert.That(owner, Is.Not.SameAs(_cluster.Nodes[0]), "the node REDIS_URL names does not serve the prefix's slot");
            Assert.That(keysByNode.Where((count, i) => _cluster.Nodes[i] != owner), Has.All.Zero, "nothing on the other nodes");
            Assert.That(keysByNode.Sum(), Is.GreaterThan(100), "the numbers spread over many buckets");
        });
    }
}
