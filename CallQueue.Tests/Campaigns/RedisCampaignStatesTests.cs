using CallQueue.Jobs.Campaigns;
using StackExchange.Redis;

namespace CallQueue.Tests.Campaigns;

/// <summary>
/// The <see cref="CampaignStatesContract"/> on <see cref="RedisCampaignStates"/> (the shared redis-server, a new key prefix
/// per test), and what only Redis has: another process sees the same states and parked calls.
/// </summary>
[TestFixture]
[Category("Redis")]
public sealed class RedisCampaignStatesTests : CampaignStatesContract
{
    private ConnectionMultiplexer _redis = null!;
    private ConnectionMultiplexer _otherProcess = null!;
    private string _prefix = null!;

    [OneTimeSetUp]
    public async Task ConnectAsync()
    {
        _redis = await ConnectionMultiplexer.ConnectAsync(SharedRedis.Server.ConnectionString);
        _otherProcess = await ConnectionMultiplexer.ConnectAsync(SharedRedis.Server.ConnectionString);
    }

    [OneTimeTearDown]
    public async Task DisconnectAsync()
    {
        await _redis.DisposeAsync();
        await _otherProcess.DisposeAsync();
    }

    protected override Task<ICampaignStates> CreateAsync()
    {
        _prefix = SharedRedis.NewKeyPrefix();
        return Task.FromResult<ICampaignStates>(new RedisCampaignStates(_redis, _prefix));
    }

    [Test]
    public async Task ChangeAsync_InOneProcess_AnotherProcessSeesTheStateAndTheParkedCalls()
    {
        var other = new RedisCampaignStates(_otherProcess, _prefix);
        await States.ChangeAsync(Spring, [CampaignState.Active], CampaignState.Paused, None);
        await States.ParkAsync(Spring, "call_a", 1, None);

        var state = await other.GetAsync(Spring, None);
        var parked = await other.PeekParkedAsync(Spring, 10, None);
        var resumed = await other.ChangeAsync(Spring, [CampaignState.Paused], CampaignState.Active, None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(state, Is.EqualTo(CampaignState.Paused));
            Assert.That(parked, Is.EqualTo(new[] { "call_a" }));
            Assert.That(resumed, Is.EqualTo((true, CampaignState.Paused)));
            Assert.That(await States.ParkAsync(Spring, "call_b", 2, None), Is.False, "resumed elsewhere: parks no more");
        });
    }

    [Test]
    public async Task ChangeAsync_BackToActive_LeavesNoControlField()
    {
        await States.ChangeAsync(Spring, [CampaignState.Active], CampaignState.Paused, None);
        await States.ChangeAsync(Spring, [CampaignState.Paused], CampaignState.Active, None);

        var fields = await _redis.GetDatabase().HashGetAllAsync("{" + _prefix + "}:control");

        Assert.That(fields, Is.Empty, "only paused and cancelled are stored");
    }
}
