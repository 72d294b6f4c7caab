using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Campaigns;

namespace CallQueue.Tests.Campaigns;

/// <summary>
/// What every <see cref="ICampaignStates"/> does (issue 12), run against both twins by a subclass each
/// (<see cref="RedisCampaignStatesTests"/>, <see cref="InMemoryCampaignStatesTests"/>): states change only from the
/// allowed ones, calls park only while their target is paused (so a resume never misses one), parked calls come back
/// in order, and a call's hold weighs its campaign and its batch. Each test gets new, empty states.
/// </summary>
public abstract class CampaignStatesContract
{
    protected static readonly CancellationToken None = CancellationToken.None;

    protected static readonly ControlTarget Spring = ControlTarget.Campaign("spring");

    protected static readonly ControlTarget Batch = ControlTarget.Batch("batch-1");

    private static readonly CampaignState[] FromActive = [CampaignState.Active];
    private static readonly CampaignState[] FromPaused = [CampaignState.Paused];
    private static readonly CampaignState[] FromActiveOrPaused = [CampaignState.Active, CampaignState.Paused];

    protected ICampaignStates States { get; private set; } = null!;

    /// <summary>New, empty states.</summary>
    protected abstract Task<ICampaignStates> CreateAsync();

    [SetUp]
    public async Task SetUpStatesAsync() => States = await CreateAsync();

    [Test]
    public async Task GetAsync_NothingStored_IsActive()
    {
        var one = await States.GetAsync(Spring, None);
        var many = await States.GetManyAsync([Spring, Batch, ControlTarget.Campaign("batch-1")], None);
        var hold = await States.HoldOfAsync(Call("spring", "batch-1"), None);

        Assert.Multiple(() =>
        {
            Assert.That(one, Is.EqualTo(CampaignState.Active));
            Assert.That(many, Is.EqualTo(new[] { CampaignState.Active, CampaignState.Active, CampaignState.Active }));
            Assert.That(hold, Is.Null);
        });
    }

    [Test]
    public async Task ChangeAsync_PauseResumeCancel_ChangesFromTheAllowedStatesAndReturnsThePrevious()
    {
        var paused = await States.ChangeAsync(Spring, FromActive, CampaignState.Paused, None);
        var pausedAgain = await States.ChangeAsync(Spring, FromActive, CampaignState.Paused, None);
        var resumed = await States.ChangeAsync(Spring, FromPaused, CampaignState.Active, None);
        var resumedAgain = await States.ChangeAsync(Spring, FromPaused, CampaignState.Active, None);
        var cancelled = await States.ChangeAsync(Spring, FromActiveOrPaused, CampaignState.Cancelled, None);
        var pausedAfterCancel = await States.ChangeAsync(Spring, FromActive, CampaignState.Paused, None);
        var resumedAfterCancel = await States.ChangeAsync(Spring, FromPaused, CampaignState.Active, None);

        Assert.Multiple(() =>
        {
            Assert.That(paused, Is.EqualTo((true, CampaignState.Active)));
            Assert.That(pausedAgain, Is.EqualTo((false, CampaignState.Paused)));
            Assert.That(resumed, Is.EqualTo((true, CampaignState.Paused)));
            Assert.That(resumedAgain, Is.EqualTo((false, CampaignState.Active)));
            Assert.That(cancelled, Is.EqualTo((true, CampaignState.Active)));
            Assert.That(pausedAfterCancel, Is.EqualTo((false, CampaignState.Cancelled)));
            Assert.That(resumedAfterCancel, Is.EqualTo((false, CampaignState.Cancelled)));
        });
        Assert.That(await States.GetAsync(Spring, None), Is.EqualTo(CampaignState.Cancelled), "a cancel is for good");
    }

    [Test]
    public async Task ChangeAsync_CancelWhilePaused_IsAllowed()
    {
        await States.ChangeAsync(Spring, FromActive, CampaignState.Paused, None);

        var cancelled = await States.ChangeAsync(Spring, FromActiveOrPaused, CampaignState.Cancelled, None);

        Assert.That(cancelled, Is.EqualTo((true, CampaignState.Paused)));
    }

    [Test]
    public async Task ChangeAsync_ACampaignAndABatchOfTheSameId_AreKeptApart()
    {
        await States.ChangeAsync(ControlTarget.Batch("spring"), FromActive, CampaignState.Paused, None);

        var states = await States.GetManyAsync([Spring, ControlTarget.Batch("spring")], None);

        Assert.That(states, Is.EqualTo(new[] { CampaignState.Active, CampaignState.Paused }));
    }

    [Test]
    public async Task ParkAsync_WhilePaused_ParksInOrderLowestFirst()
    {
        await States.ChangeAsync(Spring, FromActive, CampaignState.Paused, None);

        var parked = new[]
        {
            await States.ParkAsync(Spring, "call_late", 3e13 + 500, None),
            await States.ParkAsync(Spring, "call_high", 1e13 + 900, None),
            await States.ParkAsync(Spring, "call_early", 3e13 + 100, None),
            await States.ParkAsync(Spring, "call_normal", 2e13 + 700, None),
        };
        var firstTwo = await States.PeekParkedAsync(Spring, 2, None);
        var all = await States.PeekParkedAsync(Spring, 100, None);

        Assert.Multiple(() =>
        {
            Assert.That(parked, Is.All.True);
            Assert.That(firstTwo, Is.EqualTo(new[] { "call_high", "call_normal" }));
            Assert.That(all, Is.EqualTo(new[] { "call_high", "call_normal", "call_early", "call_late" }));
        });
    }

    [Test]
    public async Task ParkAsync_SameCallTwice_IsParkedOnceAtItsLatestOrder()
    {
        await States.ChangeAsync(Spring, FromActive, CampaignState.Paused, None);
        await States.ParkAsync(Spring, "call_a", 1, None);
        await States.ParkAsync(Spring, "call_b", 2, None);

        await States.ParkAsync(Spring, "call_a", 3, None);

        Assert.That(await States.PeekParkedAsync(Spring, 10, None), Is.EqualTo(new[] { "call_b", "call_a" }));
        Assert.That(await States.CountParkedAsync(Spring, None), Is.EqualTo(2));
    }

    [Test]
    public async Task ParkAsync_ActiveResumedOrCancelled_RefusesSoAResumeNeverMissesACall()
    {
        var whileActive = await States.ParkAsync(Spring, "call_a", 1, None);
        await States.ChangeAsync(Spring, FromActive, CampaignState.Paused, None);
        var whilePaused = await States.ParkAsync(Spring, "call_b", 2, None);
        await States.ChangeAsync(Spring, FromPaused, CampaignState.Active, None);
        var afterResume = await States.ParkAsync(Spring, "call_c", 3, None);
        await States.ChangeAsync(Spring, FromActiveOrPaused, CampaignState.Cancelled, None);
        var afterCancel = await States.ParkAsync(Spring, "call_d", 4, None);

        Assert.That((whileActive, whilePaused, afterResume, afterCancel), Is.EqualTo((false, true, false, false)));
        Assert.That(await States.PeekParkedAsync(Spring, 10, None), Is.EqualTo(new[] { "call_b" }), "only the one parked while paused");
    }

    [Test]
    public async Task ParkAsync_BatchPaused_ParksUnderTheBatchNotItsCampaign()
    {
        await States.ChangeAsync(Batch, FromActive, CampaignState.Paused, None);

        var underCampaign = await States.ParkAsync(Spring, "call_a", 1, None);
        var underBatch = await States.ParkAsync(Batch, "call_a", 1, None);

        Assert.That((underCampaign, underBatch), Is.EqualTo((false, true)));
        Assert.That(await States.CountParkedAsync(Spring, None), Is.Zero);
    }

    [Test]
    public async Task RemoveParkedAsync_SomeCalls_LeavesTheRestInOrderAndCountsThem()
    {
        await States.ChangeAsync(Spring, FromActive, CampaignState.Paused, None);
        foreach (var (id, order) in new[] { ("call_a", 1d), ("call_b", 2d), ("call_c", 3d), ("call_d", 4d) })
        {
            await States.ParkAsync(Spring, id, order, None);
        }

        await States.RemoveParkedAsync(Spring, ["call_a", "call_c", "call_unknown"], None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await States.PeekParkedAsync(Spring, 10, None), Is.EqualTo(new[] { "call_b", "call_d" }));
            Assert.That(await States.CountParkedAsync(Spring, None), Is.EqualTo(2));
            Assert.That(await States.CountParkedAsync(Batch, None), Is.Zero);
        });
    }

    [Test]
    public async Task GetTargetsWithParkedAsync_ListsTargetsUntilTheirLastCallIsRemoved()
    {
        Assert.That(await States.GetTargetsWithParkedAsync(None), Is.Empty);
        await States.ChangeAsync(Spring, FromActive, CampaignState.Paused, None);
        await States.ChangeAsync(Batch, FromActive, CampaignState.Paused, None);
        await States.ParkAsync(Spring, "call_a", 1, None);
        await States.ParkAsync(Spring, "call_b", 2, None);
        await States.ParkAsync(Batch, "call_c", 1, None);

        var both = await States.GetTargetsWithParkedAsync(None);
        await States.RemoveParkedAsync(Spring, ["call_a"], None);
        var stillBoth = await States.GetTargetsWithParkedAsync(None);
        await States.RemoveParkedAsync(Spring, ["call_b"], None);
        var batchOnly = await States.GetTargetsWithParkedAsync(None);

        Assert.Multiple(() =>
        {
            Assert.That(both, Is.EquivalentTo(new[] { Spring, Batch }));
            Assert.That(stillBoth, Is.EquivalentTo(new[] { Spring, Batch }));
            Assert.That(batchOnly, Is.EqualTo(new[] { Batch }));
        });
    }

    [Test]
    public async Task HoldOfAsync_CampaignPaused_HoldsTheCallWithItsReason()
    {
        await States.ChangeAsync(Spring, FromActive, CampaignState.Paused, None);

        var hold = await States.HoldOfAsync(Call("spring", batchId: null), None);

        Assert.Multiple(() =>
        {
            Assert.That(hold, Is.EqualTo(new CampaignHold(Spring, CampaignState.Paused)));
            Assert.That(hold!.Reason, Is.EqualTo("Campaign spring paused"));
        });
    }

    [Test]
    public async Task HoldOfAsync_BatchPausedCampaignActive_HoldsByTheBatch()
    {
        await States.ChangeAsync(Batch, FromActive, CampaignState.Paused, None);

        var hold = await States.HoldOfAsync(Call("spring", "batch-1"), None);
        var otherBatch = await States.HoldOfAsync(Call("spring", "batch-2"), None);
        var noBatch = await States.HoldOfAsync(Call("spring", batchId: null), None);

        Assert.Multiple(() =>
        {
            Assert.That(hold, Is.EqualTo(new CampaignHold(Batch, CampaignState.Paused)));
            Assert.That(hold!.Reason, Is.EqualTo("Batch batch-1 paused"));
            Assert.That(otherBatch, Is.Null);
            Assert.That(noBatch, Is.Null);
        });
    }

    [Test]
    public async Task HoldOfAsync_CampaignPausedBatchCancelled_CancelledWins()
    {
        await States.ChangeAsync(Spring, FromActive, CampaignState.Paused, None);
        await States.ChangeAsync(Batch, FromActiveOrPaused, CampaignState.Cancelled, None);

        var hold = await States.HoldOfAsync(Call("spring", "batch-1"), None);

        Assert.Multiple(() =>
        {
            Assert.That(hold, Is.EqualTo(new CampaignHold(Batch, CampaignState.Cancelled)));
            Assert.That(hold!.Reason, Is.EqualTo("Batch batch-1 cancelled"));
        });
    }

    [Test]
    public async Task HoldOfAsync_CampaignCancelledBatchPaused_CancelledWins()
    {
        await States.ChangeAsync(Batch, FromActive, CampaignState.Paused, None);
        await States.ChangeAsync(Spring, FromActiveOrPaused, CampaignState.Cancelled, None);

        var hold = await States.HoldOfAsync(Call("spring", "batch-1"), None);

        Assert.That(hold, Is.EqualTo(new CampaignHold(Spring, CampaignState.Cancelled)));
    }

    [Test]
    public async Task HoldOfAsync_CampaignResumed_HoldsNoMore()
    {
        await States.ChangeAsync(Spring, FromActive, CampaignState.Paused, None);
        await States.ChangeAsync(Spring, FromPaused, CampaignState.Active, None);

        Assert.That(await States.HoldOfAsync(Call("spring", "batch-1"), None), Is.Null);
    }

    private static CallRecord Call(string campaignId, string? batchId) => new()
    {
        CallId = "call_1",
        PhoneNumber = "+919123456789",
        CampaignId = campaignId,
        BatchId = batchId,
        Config = new CallConfig { AnswerUrl = "https://a.example/answer" },
    };
}
