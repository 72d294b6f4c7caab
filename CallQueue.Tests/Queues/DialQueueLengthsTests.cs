using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Queues;
using CallQueue.Tests.Support;
using Hangfire;
using Hangfire.Common;
using Hangfire.Logging;
using Hangfire.Redis.StackExchange;
using Hangfire.States;
using StackExchange.Redis;

namespace CallQueue.Tests.Queues;

/// <summary>
/// The dial queues' lengths read straight from Redis (one pipelined round trip) are what Hangfire's own monitoring API
/// counts on its Redis storage: the key layout this depends on is checked here, not assumed.
/// </summary>
[TestFixture]
[Category("Redis")]
public sealed class DialQueueLengthsTests
{
    [Test]
    public async Task ReadAsync_JobsInSeveralQueues_CountsAsHangfiresMonitoringApi()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(SharedRedis.Server.ConnectionString);
        var prefix = "{" + SharedRedis.NewKeyPrefix() + "}:hangfire:";
        LogProvider.SetCurrentLogProvider(new HangfireContexts.SilentLogProvider()); // as HangfireContexts: not a disposed host's logger factory
        var storage = new RedisStorage(redis, new RedisStorageOptions { Prefix = prefix });
        var client = new BackgroundJobClient(storage);
        var job = Job.FromExpression(() => Console.WriteLine("never run"));
        foreach (var (priority, count) in new[] { (CallPriority.Urgent, 1), (CallPriority.High, 2), (CallPriority.Normal, 3) })
        {
            for (var i = 0; i < count; i++)
            {
                client.Create(job, new EnqueuedState(priority.ToWire()));
            }
        }

        var lengths = await new RedisDialQueueLengths(redis, prefix).ReadAsync(CancellationToken.None);

        var monitoring = storage.GetMonitoringApi();
        Assert.Multiple(() =>
        {
            foreach (var priority in Enum.GetValues<CallPriority>())
            {
                Assert.That(lengths.Of(priority), Is.EqualTo(monitoring.EnqueuedCount(priority.ToWire())), priority.ToWire());
            }

            Assert.That(lengths.Of(CallPriority.Normal), Is.EqualTo(3));
            Assert.That(lengths.Ahead(CallPriority.Normal), Is.EqualTo(3), "urgent and high are fetched first");
            Assert.That(lengths.Ahead(CallPriority.Urgent), Is.Zero);
        });
    }
}
