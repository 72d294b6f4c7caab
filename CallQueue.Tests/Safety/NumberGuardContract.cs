using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Safety;

namespace CallQueue.Tests.Safety;

/// <summary>
/// What every <see cref="INumberGuard"/> does (one person, one call at a time; the do-not-call list at dial time), run
/// against both twins by a subclass each (<see cref="RedisNumberGuardTests"/>, <see cref="InMemoryNumberGuardTests"/>).
/// Each test gets a new, empty guard and do-not-call list. Nothing here waits for time to pass: the waits the guard
/// answers are what a user sees as "dials from".
/// </summary>
public abstract class NumberGuardContract
{
    protected const string Number = "+919876543210";

    protected static readonly CancellationToken None = CancellationToken.None;

    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan Gap = TimeSpan.FromSeconds(60);
    private static readonly NumberLimits OneAtATime = new(OneCallPerNumber: true, MinGap: Gap, MaxPerDay: 0, CampaignMaxPerDay: 0);

    protected INumberGuard Guard { get; private set; } = null!;

    protected IDoNotCallList DoNotCall { get; private set; } = null!;

    /// <summary>A new, empty guard and the do-not-call list it reads.</summary>
    protected abstract Task<(INumberGuard Guard, IDoNotCallList DoNotCall)> CreateAsync();

    [SetUp]
    public async Task SetUpGuardAsync() => (Guard, DoNotCall) = await CreateAsync();

    [Test]
    public async Task TryTakeAsync_FreeNumber_TakesIt_AndAnotherCallFindsItBusyWithTheLiveCall()
    {
        var first = await Guard.TryTakeAsync(Claim("call_a"), None);
        var second = await Guard.TryTakeAsync(Claim("call_b", campaign: "other", jobId: "job-b"), None);

        Assert.Multiple(() =>
        {
            Assert.That(first.IsTaken, Is.True);
            Assert.That(second.Rule, Is.EqualTo(SafetyRule.NumberBusy));
            Assert.That(second.LiveCallId, Is.EqualTo("call_a"));
            Assert.That(second.Wait, Is.InRange(Lease - TimeSpan.FromSeconds(5), Lease), "at the latest when the live call's lease runs out");
        });
    }

    [Test]
    public async Task TryTakeAsync_TheSameCallAgain_TakesItAgain()
    {
        await Guard.TryTakeAsync(Claim("call_a"), None);

        var again = await Guard.TryTakeAsync(Claim("call_a"), None);

        Assert.That(again.IsTaken, Is.True, "a re-run of the call's job is not its own obstacle");
    }

    [Test]
    public async Task ReleaseAsync_AfterAnAttempt_FreesTheNumberStartsTheGapAndHandsOverTheWaiters()
    {
        await Guard.TryTakeAsync(Claim("call_a"), None);
        await Guard.TryTakeAsync(Claim("call_b", jobId: "job-b"), None);
        await Guard.TryTakeAsync(Claim("call_c", jobId: "job-c"), None);

        var waiters = await Guard.ReleaseAsync("call_a", Number, "campaign", Gap, unusedAttempt: null, None);
        var next = await Guard.TryTakeAsync(Claim("call_b", jobId: "job-b"), None);
        var waitersAgain = await Guard.ReleaseAsync("call_a", Number, "campaign", Gap, unusedAttempt: null, None);

        Assert.Multiple(() =>
        {
            Assert.That(waiters, Is.EquivalentTo(new[] { "job-b", "job-c" }));
            Assert.That(next.Rule, Is.EqualTo(SafetyRule.NumberGap));
            Assert.That(next.Wait, Is.InRange(Gap - TimeSpan.FromSeconds(5), Gap));
            Assert.That(waitersAgain, Is.Empty, "woken once");
        });
    }

    [Test]
    public async Task ReleaseAsync_OfAnotherCall_LeavesTheLiveCallsHold()
    {
        await Guard.TryTakeAsync(Claim("call_a"), None);

        await Guard.ReleaseAsync("call_b", Number, "campaign", TimeSpan.Zero, unusedAttempt: 1, None);
        var other = await Guard.TryTakeAsync(Claim("call_c"), None);

        Assert.That(other.Rule, Is.EqualTo(SafetyRule.NumberBusy), "only the holder frees the number");
    }

    [Test]
    public async Task ReleaseAsync_OfAnUnusedAttempt_StartsNoGapAndDoesNotCountIt()
    {
        var limits = OneAtATime with { MaxPerDay = 1 };
        await Guard.TryTakeAsync(Claim("call_a", limits: limits), None);

        await Guard.ReleaseAsync("call_a", Number, "campaign", Gap, unusedAttempt: 1, None);
        var next = await Guard.TryTakeAsync(Claim("call_b", limits: limits), None);

        Assert.That(next.IsTaken, Is.True, "nothing was sent: no gap, and the cap of 1 is not used up");
    }

    [Test]
    public async Task TryTakeAsync_DailyCapReached_WaitsUntilTheOldestAttemptIsADayOld()
    {
        var limits = new NumberLimits(OneCallPerNumber: false, MinGap: TimeSpan.Zero, MaxPerDay: 2, CampaignMaxPerDay: 0);
        await Guard.TryTakeAsync(Claim("call_a", limits: limits), None);
        await Guard.TryTakeAsync(Claim("call_b", campaign: "other", limits: limits), None);

        var third = await Guard.TryTakeAsync(Claim("call_c", limits: limits), None);
        var retake = await Guard.TryTakeAsync(Claim("call_a", limits: limits), None);

        Assert.Multiple(() =>
        {
            Assert.That(third.Rule, Is.EqualTo(SafetyRule.NumberCap), "two attempts in 24 h, every campaign together");
            Assert.That(third.Wait, Is.InRange(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(5), TimeSpan.FromHours(24)));
            Assert.That(retake.IsTaken, Is.True, "an attempt already counted is not counted twice");
        });
    }

    [Test]
    public async Task TryTakeAsync_CampaignCap_CountsOnlyThatCampaignsAttempts()
    {
        var limits = new NumberLimits(OneCallPerNumber: false, MinGap: TimeSpan.Zero, MaxPerDay: 0, CampaignMaxPerDay: 1);
        await Guard.TryTakeAsync(Claim("call_a", campaign: "spring", limits: limits), None);

        var sameCampaign = await Guard.TryTakeAsync(Claim("call_b", campaign: "spring", limits: limits), None);
        var otherCampaign = await Guard.TryTakeAsync(Claim("call_c", campaign: "autumn", limits: limits), None);

        Assert.Multiple(() =>
        {
            Assert.That(sameCampaign.Rule, Is.EqualTo(SafetyRule.NumberCap));
            Assert.That(otherCampaign.IsTaken, Is.True);
        });
    }

    [Test]
    public async Task TryTakeAsync_ListedNumber_IsBlockedWithItsEntry_ForItsScopeOnly()
    {
        var at = new DateTimeOffset(2026, 12, 7, 9, 30, 0, TimeSpan.Zero);
        await DoNotCall.AddAsync([Number], new DoNotCallEntry("spring", "asked to stop", DoNotCallSource.Api, at), None);

        var listed = await Guard.TryTakeAsync(Claim("call_a", campaign: "spring"), None);
        var other = await Guard.TryTakeAsync(Claim("call_b", campaign: "autumn"), None);

        Assert.Multiple(() =>
        {
            Assert.That(listed.Rule, Is.EqualTo(SafetyRule.DoNotCall));
            Assert.That(listed.Entry, Is.EqualTo(new DoNotCallEntry("spring", "asked to stop", DoNotCallSource.Api, at)));
            Assert.That(other.IsTaken, Is.True, "a campaign's entry does not block other campaigns");
        });
    }

    [Test]
    public async Task TryTakeAsync_OneCallPerNumberOff_LetsTwoCallsTakeIt()
    {
        var limits = OneAtATime with { OneCallPerNumber = false };

        var first = await Guard.TryTakeAsync(Claim("call_a", limits: limits), None);
        var second = await Guard.TryTakeAsync(Claim("call_b", limits: limits), None);

        Assert.That(first.IsTaken && second.IsTaken, Is.True);
    }

    [Test]
    public async Task TryTakeAsync_ManyCallsAtOnce_OnlyOneTakesTheNumber()
    {
        var verdicts = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => Guard.TryTakeAsync(Claim($"call_{i}"), None))));

        Assert.That(verdicts.Count(verdict => verdict.IsTaken), Is.EqualTo(1));
    }

    private static NumberClaim Claim(string callId, string campaign = "campaign", string? jobId = null, NumberLimits? limits = null) =>
        new(callId, Number, campaign, Attempt: 1, jobId, Lease, limits ?? OneAtATime);
}
