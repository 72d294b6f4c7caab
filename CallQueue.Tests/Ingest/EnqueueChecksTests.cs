using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Campaigns;
using CallQueue.Jobs.Ingest;
using CallQueue.Jobs.Safety;
using CallQueue.Jobs.Storage;
using StackExchange.Redis;

namespace CallQueue.Tests.Ingest;

/// <summary>
/// The single enqueue's guard (<see cref="EnqueueChecks"/>, issue 15) names the keys the do-not-call list and the campaign
/// states really write: a number put on the list, a campaign or batch paused or cancelled through their own stores, stops
/// the write; nothing recorded lets it through. If either store's layout changes without the guard, a listed number or a
/// cancelled campaign's call would be written as queued: this fails first.
/// </summary>
[TestFixture]
[Category("Redis")]
public sealed class EnqueueChecksTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private ConnectionMultiplexer _redis = null!;
    private RedisCallStore _store = null!;
    private RedisDoNotCallList _doNotCall = null!;
    private RedisCampaignStates _campaigns = null!;
    private EnqueueChecks _checks = null!;

    [OneTimeSetUp]
    public async Task ConnectAsync() => _redis = await ConnectionMultiplexer.ConnectAsync(SharedRedis.Server.ConnectionString);

    [OneTimeTearDown]
    public async Task DisconnectAsync() => await _redis.DisposeAsync();

    [SetUp]
    public void CreateStores()
    {
        var prefix = SharedRedis.NewKeyPrefix();
        var hangfire = "{" + prefix + "}:hangfire:";
        _store = new RedisCallStore(_redis, prefix, TimeProvider.System, hangfirePrefix: hangfire);
        _doNotCall = new RedisDoNotCallList(_redis, prefix);
        _campaigns = new RedisCampaignStates(_redis, prefix);
        _checks = new EnqueueChecks(prefix, hangfire);
    }

    [TestCase(null, TestName = "Enqueue_NumberOnTheListForEveryCampaign_WritesNothing")]
    [TestCase("campaign-1", TestName = "Enqueue_NumberOnTheListForItsCampaign_WritesNothing")]
    [TestCase("another-campaign", TestName = "Enqueue_NumberOnTheListForAnotherCampaign_WritesNothing_TheCallerDecides")]
    public async Task Enqueue_NumberOnTheList_WritesNothing(string? listedFor)
    {
        await _doNotCall.AddAsync(["+919123456789"], new DoNotCallEntry(listedFor, "asked", DoNotCallSource.Api, DateTimeOffset.UtcNow), None);

        var (result, call) = await EnqueueAsync(NewCall());

        Assert.That(result.Stopped, Is.True);
        Assert.That(await _store.GetAsync(call.CallId, None), Is.Null);
    }

    [Test]
    public async Task Enqueue_NumberWithALongEntryKeptInTheSideHash_WritesNothing()
    {
        await _doNotCall.AddAsync(["+919123456789"], new DoNotCallEntry("campaign-1", new string('r', 300), DoNotCallSource.Api, DateTimeOffset.UtcNow), None);

        var (result, _) = await EnqueueAsync(NewCall());

        Assert.That(result.Stopped, Is.True);
    }

    [Test]
    public async Task Enqueue_AnotherNumberOfTheSameBucketListed_Writes()
    {
        await _doNotCall.AddAsync(["+919123456780"], new DoNotCallEntry(null, "asked", DoNotCallSource.Api, DateTimeOffset.UtcNow), None);

        var (result, _) = await EnqueueAsync(NewCall());

        Assert.That(result.Created?.Created, Is.True);
    }

    [TestCase(CampaignState.Paused)]
    [TestCase(CampaignState.Cancelled)]
    public async Task Enqueue_CampaignPausedOrCancelled_WritesNothing(CampaignState state)
    {
        await _campaigns.ChangeAsync(ControlTarget.Campaign("campaign-1"), [CampaignState.Active], state, None);

        var (result, _) = await EnqueueAsync(NewCall());

        Assert.That(result.Stopped, Is.True);
    }

    [Test]
    public async Task Enqueue_BatchPaused_WritesNothing_AnotherBatchOfTheCampaign_Writes()
    {
        await _campaigns.ChangeAsync(ControlTarget.Batch("batch_a"), [CampaignState.Active], CampaignState.Paused, None);

        var (paused, _) = await EnqueueAsync(NewCall() with { BatchId = "batch_a" });
        var (other, _) = await EnqueueAsync(NewCall() with { BatchId = "batch_b" });

        Assert.Multiple(() =>
        {
            Assert.That(paused.Stopped, Is.True);
            Assert.That(other.Created?.Created, Is.True);
        });
    }

    [Test]
    public async Task Enqueue_CampaignPausedThenResumed_Writes_AndCountsTheQueuesAheadByPriority()
    {
        var target = ControlTarget.Campaign("campaign-1");
        await _campaigns.ChangeAsync(target, [CampaignState.Active], CampaignState.Paused, None);
        await _campaigns.ChangeAsync(target, [CampaignState.Paused], CampaignState.Active, None);
        await EnqueueAsync(NewCall() with { Priority = CallPriority.Urgent });
        await EnqueueAsync(NewCall() with { Priority = CallPriority.Normal });
        await EnqueueAsync(NewCall() with { Priority = CallPriority.Normal });

        var (result, _) = await EnqueueAsync(NewCall() with { Priority = CallPriority.Normal });

        var lengths = EnqueueChecks.Lengths(result);
        Assert.Multiple(() =>
        {
            Assert.That(result.Created?.Created, Is.True);
            Assert.That(lengths.Of(CallPriority.Normal), Is.EqualTo(2), "the two normal calls before it, not itself");
            Assert.That(lengths.Ahead(CallPriority.Normal), Is.EqualTo(1), "the urgent one");
        });
    }

    private async Task<(EnqueueResult Result, CallRecord Call)> EnqueueAsync(CallRecord call)
    {
        var job = InlineDialJob.For(call);
        var written = call with { JobId = job.Id };
        return (await _store.CreateEnqueuedAsync(written, job, _checks.For(written), None), written);
    }

    private static CallRecord NewCall() => new()
    {
        CallId = "call_" + Guid.NewGuid().ToString("N"),
        PhoneNumber = "+919123456789",
        CampaignId = "campaign-1",
        Config = new CallConfig { AnswerUrl = "https://a.example/answer" },
        CreatedAt = DateTimeOffset.UtcNow,
        UpdatedAt = DateTimeOffset.UtcNow,
    };
}
