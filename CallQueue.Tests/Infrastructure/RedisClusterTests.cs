using StackExchange.Redis;

namespace CallQueue.Tests.Infrastructure;

[TestFixture]
[NonParallelizable]
public sealed class RedisClusterTests
{
    [Test]
    public async Task StartNewAsync_RedisInstalled_ThreeNodesServeEverySlotAndAKeyLandsOnItsSlotsNode()
    {
        await using var cluster = await RedisCluster.StartNewAsync();
        var prefix = cluster.NewKeyPrefix();

        await cluster.Client.GetDatabase().StringSetAsync("{" + prefix + "}:key", "value");

        var owner = cluster.NodeServing(prefix);
        Assert.Multiple(() =>
        {
            Assert.That(cluster.Nodes.Select(node => node.Port).Distinct().Count(), Is.EqualTo(3));
            Assert.That(cluster.Client.GetServer(cluster.ConnectionString).ServerType, Is.EqualTo(ServerType.Cluster));
            Assert.That(owner, Is.Not.SameAs(cluster.Nodes[0]), "NewKeyPrefix avoids the node clients are given");
            Assert.That(cluster.Nodes.Select(node => cluster.Client.GetServer(node.ConnectionString).DatabaseSize()), Is.EqualTo(cluster.Nodes.Select(node => node == owner ? 1 : 0)));
        });
    }

    [Test]
    public async Task DisposeAsync_RunningCluster_StopsEveryNode()
    {
        var cluster = await RedisCluster.StartNewAsync();

        await cluster.DisposeAsync();

        Assert.That(cluster.Nodes.Select(node => node.IsRunning), Is.All.False);
    }

    [Test]
    public void FindCli_NotNextToRedisServerNorOnPath_ThrowsNamingThePackage()
    {
        Assert.That(
            () => RedisCluster.FindCli(serverDirectory: "/nonexistent", searchPath: "/nonexistent", wellKnownDirectories: []),
            Throws.TypeOf<FileNotFoundException>().With.Message.Contains("apt-get install redis-tools"));
    }
}
