using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace CallQueue.Tests.Infrastructure;

[TestFixture]
public sealed class RedisServerTests
{
    [Test]
    public async Task StartNewAsync_RedisInstalled_AnswersPing()
    {
        await using var server = await RedisServer.StartNewAsync();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);

        await redis.GetDatabase().PingAsync();

        Assert.That(server.IsRunning, Is.True);
        Assert.That(server.ConnectionString, Is.EqualTo($"127.0.0.1:{server.Port}"));
        Assert.That(server.Url, Is.EqualTo($"redis://127.0.0.1:{server.Port}"));
    }

    [Test]
    public async Task StopAsync_RunningServer_RefusesConnections()
    {
        await using var server = await RedisServer.StartNewAsync();

        await server.StopAsync();

        Assert.That(server.IsRunning, Is.False);
        Assert.That(
            async () => await ConnectionMultiplexer.ConnectAsync($"{server.ConnectionString},connectTimeout=1000"),
            Throws.TypeOf<RedisConnectionException>());
    }

    [Test]
    public async Task StartAsync_AfterStop_ServesOnSamePortWithEmptyData()
    {
        await using var server = await RedisServer.StartNewAsync();
        var port = server.Port;
        await using (var before = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString))
        {
            await before.GetDatabase().StringSetAsync("key", "value");
        }

        await server.StopAsync();
        await server.StartAsync();

        await using var after = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        Assert.That(server.Port, Is.EqualTo(port));
        Assert.That(await after.GetDatabase().StringGetAsync("key"), Is.EqualTo(RedisValue.Null));
    }

    [Test]
    public async Task StartAsync_WhileRunning_KeepsServerAndData()
    {
        await using var server = await RedisServer.StartNewAsync();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        await redis.GetDatabase().StringSetAsync("key", "value");

        await server.StartAsync();

        Assert.That(await redis.GetDatabase().StringGetAsync("key"), Is.EqualTo((RedisValue)"value"));
    }

    [Test]
    public async Task StartAsync_AfterStop_ExistingConnectionRecovers()
    {
        await using var server = await RedisServer.StartNewAsync();
        var options = ConfigurationOptions.Parse($"{server.ConnectionString},abortConnect=false,connectTimeout=1000");
        options.BacklogPolicy = BacklogPolicy.FailFast; // fail at once while Redis is down instead of queueing for seconds
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        var db = redis.GetDatabase();

        await server.StopAsync();
        Assert.That(async () => await db.PingAsync(), Throws.InstanceOf<RedisException>());
        await server.StartAsync();

        Assert.That(async () => await db.PingAsync(), Throws.Nothing.After(15_000, 100));
    }

    [Test]
    public async Task StartAsync_PortTakenWhileStopped_ThrowsNamingPort()
    {
        await using var server = await RedisServer.StartNewAsync();
        await server.StopAsync();
        using var squatter = new TcpListener(IPAddress.Loopback, server.Port);
        squatter.Start();

        Assert.That(
            async () => await server.StartAsync(),
            Throws.InvalidOperationException.With.Message.Contains($"127.0.0.1:{server.Port}: another process holds the port"));
        Assert.That(server.IsRunning, Is.False);
    }

    [Test]
    public async Task StartNewAsync_TwoServers_GetDifferentPorts()
    {
        await using var first = await RedisServer.StartNewAsync();
        await using var second = await RedisServer.StartNewAsync();

        Assert.That(second.Port, Is.Not.EqualTo(first.Port));
    }

    [Test]
    public async Task DisposeAsync_RunningServer_StopsIt()
    {
        var server = await RedisServer.StartNewAsync();

        await server.DisposeAsync();

        Assert.That(server.IsRunning, Is.False);
        Assert.That(async () => await server.StartAsync(), Throws.TypeOf<ObjectDisposedException>());
    }

    [Test]
    public void FindBinary_NotOnPathNorWellKnownPaths_ThrowsWithInstallHint()
    {
        Assert.That(
            () => RedisServer.FindBinary(configuredPath: null, searchPath: "/nonexistent", wellKnownPaths: []),
            Throws.TypeOf<FileNotFoundException>()
                .With.Message.EqualTo("redis-server not found: run ./run-tests.sh or apt-get install redis-server"));
    }

    [Test]
    public void FindBinary_ConfiguredPathMissing_ThrowsNamingVariable()
    {
        Assert.That(
            () => RedisServer.FindBinary(configuredPath: "/nonexistent/redis-server", searchPath: null, wellKnownPaths: []),
            Throws.TypeOf<FileNotFoundException>()
                .With.Message.Contains("REDIS_SERVER_PATH=/nonexistent/redis-server")
                .And.Message.Contains("apt-get install redis-server"));
    }

    [Test]
    public void FindBinary_OnSearchPath_ReturnsFirstMatch()
    {
        var directory = Directory.CreateTempSubdirectory("callqueue-path-").FullName;
        try
        {
            var binary = Path.Combine(directory, "redis-server");
            File.WriteAllText(binary, "");

            var found = RedisServer.FindBinary(configuredPath: null, searchPath: $"/nonexistent:{directory}", wellKnownPaths: ["/usr/bin/redis-server"]);

            Assert.That(found, Is.EqualTo(binary));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public async Task SharedRedisServer_FirstUse_AnswersPingAndStaysTheSame()
    {
        var server = SharedRedis.Server;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var key = SharedRedis.NewKeyPrefix() + "probe";

        await redis.GetDatabase().StringSetAsync(key, "1", TimeSpan.FromMinutes(1));

        Assert.That(SharedRedis.Server, Is.SameAs(server));
        Assert.That(await redis.GetDatabase().StringGetAsync(key), Is.EqualTo((RedisValue)"1"));
        Assert.That(key, Does.Not.StartWith(SharedRedis.NewKeyPrefix()));
    }
}
