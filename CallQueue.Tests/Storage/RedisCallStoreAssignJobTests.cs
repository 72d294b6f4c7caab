using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Storage;
using StackExchange.Redis;

namespace CallQueue.Tests.Storage;

[TestFixture]
public sealed class RedisCallStoreAssignJobTests
{
    [Test]
    public async Task AssignJobAsync_RecordAsStored_WritesJobAndLeavesAwaitingJob()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(SharedRedis.Server.ConnectionString);
        var store = new RedisCallStore(redis, SharedRedis.NewKeyPrefix(), TimeProvider.System);
        var call = NewCall();
        await store.CreateAsync([call], CancellationToken.None);

        var owner = await store.AssignJobAsync(call, "job-1", CancellationToken.None);

        Assert.That(owner, Is.EqualTo("job-1"));
        Assert.That((await store.GetAsync(call.CallId, CancellationToken.None))!.JobId, Is.EqualTo("job-1"));
        Assert.That(await store.GetCallsAwaitingJobAsync(TimeSpan.Zero, 10, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task AssignJobAsync_RecordChangedMeanwhile_KeepsTheChangeAndTheFirstOwner()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(SharedRedis.Server.ConnectionString);
        var store = new RedisCallStore(redis, SharedRedis.NewKeyPrefix(), TimeProvider.System);
        var call = NewCall();
        await store.CreateAsync([call], CancellationToken.None);
        await store.AssignJobAsync(call.CallId, "job-1", CancellationToken.None);
        await store.UpdateAsync(call.CallId, stored => stored with { StatusReason = "changed" }, CancellationToken.None);

        var owner = await store.AssignJobAsync(call, "job-2", CancellationToken.None);

        var stored = await store.GetAsync(call.CallId, CancellationToken.None);
        Assert.That(owner, Is.EqualTo("job-1"));
        Assert.That(stored!.JobId, Is.EqualTo("job-1"));
        Assert.That(stored.StatusReason, Is.EqualTo("changed"));
    }

    private static CallRecord NewCall() => new()
    {
        CallId = "call_" + Guid.NewGuid().ToString("N"),
        PhoneNumber = "+919123456789",
        CampaignId = "test",
        Config = new CallConfig { AnswerUrl = "https://a.example/answer" },
        CreatedAt = DateTimeOffset.UtcNow,
        UpdatedAt = DateTimeOffset.UtcNow,
    };
}
