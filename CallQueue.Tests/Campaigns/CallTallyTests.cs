using System.Globalization;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Lifecycle;
using CallQueue.Jobs.Storage;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using static CallQueue.Tests.Lifecycle.LifecycleSamples;

namespace CallQueue.Tests.Campaigns;

/// <summary>
/// The campaign and batch tallies (issue 12): the deltas <see cref="RedisCallStore"/> adds in the same write as every
/// change (real redis-server, <see cref="ICallStore.UpdateAsync"/>) add up to <see cref="CallTally.Of"/> the records, and
/// to what <see cref="InMemoryCallStore"/> counts by walking its calls. Both stores get the same calls and the same
/// lifecycle events on one fake clock, and are compared after every step.
/// </summary>
[TestFixture]
[Category("Redis")]
public sealed class CallTallyTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    private ConnectionMultiplexer _redis = null!;
    private FakeTimeProvider _clock = null!;
    private RedisCallStore _redisStore = null!;
    private InMemoryCallStore _memory = null!;

    [OneTimeSetUp]
    public async Task ConnectAsync() => _redis = await ConnectionMultiplexer.ConnectAsync(SharedRedis.Server.ConnectionString);

    [OneTimeTearDown]
    public async Task DisconnectAsync() => await _redis.DisposeAsync();

    [SetUp]
    public void CreateStores()
    {
        _clock = new FakeTimeProvider(Start);
        _redisStore = new RedisCallStore(_redis, SharedRedis.NewKeyPrefix(), _clock);
        _memory = new InMemoryCallStore(_clock);
    }

    [Test]
    public async Task UpdateAsync_ARealisticLifePerCall_TallyAddsUpAfterEveryStep()
    {
        await CreateAsync(
            NewCall("call_a", "spring", "batch-1"),
            NewCall("call_b", "spring", "batch-1"),
            NewCall("call_c", "spring", "batch-1"),
            NewCall("call_d", "spring"),
            NewCall("call_f", "autumn", "batch-1"));
        await AssertTalliesAgreeAsync("created");

        // call_a: queued → dialing → ringing → in_progress → completed, 42 s of talk.
        await PlaceAsync("call_a", attempt: 1);
        await ApplyAsync("call_a", new RingingReported(1, new PlivoCallIds("req-1", "call-uuid-1")), TimeSpan.FromSeconds(2));
        await ApplyAsync("call_a", new SeenLive(), TimeSpan.FromSeconds(5));
        await AssertTalliesAgreeAsync("call_a in progress");
        await HangUpAsync("call_a", Answered(1, 42), TimeSpan.FromSeconds(45));

        // call_b: busy, a retry, then answered with 17 s of talk.
        await PlaceAsync("call_b", attempt: 1);
        await HangUpAsync("call_b", Busy(1), TimeSpan.FromSeconds(20));
        await AssertTalliesAgreeAsync("call_b waiting to retry");
        _clock.Advance(TimeSpan.FromSeconds(299));
        await PlaceAsync("call_b", attempt: 2);
        await ApplyAsync("call_b", new RingingReported(2, new PlivoCallIds("req-2", "call-uuid-2")), TimeSpan.FromSeconds(2));
        await HangUpAsync("call_b", Answered(2, 17), TimeSpan.FromSeconds(20));

        // call_d: cancelled before it was dialed; call_c stays queued; call_f (another campaign, same batch) is busy.
        await ApplyAsync("call_d", new CancelCall("Cancelled by request"), TimeSpan.FromSeconds(1));
        await PlaceAsync("call_f", attempt: 1);
        await HangUpAsync("call_f", Busy(1), TimeSpan.FromSeconds(10));

        await AssertTalliesAgreeAsync("the end");
        var spring = (await _redisStore.GetCampaignTallyAsync("spring", None))!;
        var batch = (await _redisStore.GetBatchTallyAsync("batch-1", None))!;
        Assert.Multiple(() =>
        {
            Assert.That(Summary(spring), Is.EqualTo("completed=2 cancelled=1 queued=1 | answered=2 | attempts 3, ended 3, answered 2, talk 59 s, line 97 s"));
            Assert.That(Summary(batch), Is.EqualTo("completed=2 queued=1 retry=1 | answered=2 busy=1 | attempts 4, ended 4, answered 2, talk 59 s, line 108 s"));
            Assert.That((spring.Total, spring.Done, spring.Waiting, spring.InFlight), Is.EqualTo((4L, 3L, 1L, 0L)));
            Assert.That(spring.FirstSeen, Is.EqualTo(Start));
        });
    }

    [Test]
    public async Task WithdrawAsync_ACallNobodyWasToldOf_LeavesTheTalliesAsBefore()
    {
        await CreateAsync(NewCall("call_a", "spring", "batch-1"));
        await PlaceAsync("call_a", attempt: 1);
        await HangUpAsync("call_a", Busy(1), TimeSpan.FromSeconds(20));
        var campaignBefore = Summary(await _redisStore.GetCampaignTallyAsync("spring", None));
        var batchBefore = Summary(await _redisStore.GetBatchTallyAsync("batch-1", None));

        _clock.Advance(TimeSpan.FromMinutes(1));
        var withdrawn = NewCall("call_w", "spring", "batch-1");
        await CreateAsync(withdrawn);
        Assert.That(await _redisStore.WithdrawAsync(withdrawn, None), Is.True);
        Assert.That(await _memory.WithdrawAsync((await _memory.GetAsync("call_w", None))!, None), Is.True);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(Summary(await _redisStore.GetCampaignTallyAsync("spring", None)), Is.EqualTo(campaignBefore));
            Assert.That(Summary(await _redisStore.GetBatchTallyAsync("batch-1", None)), Is.EqualTo(batchBefore));
            Assert.That(Summary(await _memory.GetCampaignTallyAsync("spring", None)), Is.EqualTo(campaignBefore));
            Assert.That(Summary(await _memory.GetBatchTallyAsync("batch-1", None)), Is.EqualTo(batchBefore));
        });
    }

    [Test]
    public async Task GetCampaignTallyAsync_UnknownCampaignOrBatch_IsNull()
    {
        await CreateAsync(NewCall("call_a", "spring", "batch-1"));

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await _redisStore.GetCampaignTallyAsync("winter", None), Is.Null);
            Assert.That(await _memory.GetCampaignTallyAsync("winter", None), Is.Null);
            Assert.That(await _redisStore.GetBatchTallyAsync("batch-2", None), Is.Null);
            Assert.That(await _memory.GetBatchTallyAsync("batch-2", None), Is.Null);
        });
    }

    /// <summary>Claims attempt <paramref name="attempt"/>, marks it sent a second later and has Plivo accept it ("req-{attempt}").</summary>
    private async Task PlaceAsync(string callId, int attempt)
    {
        await ApplyAsync(callId, new ClaimAttempt(attempt, "job-" + callId, "t" + attempt), TimeSpan.FromSeconds(1));
        var claim = (await _memory.GetAsync(callId, None))!.LastAttempt!;
        await ApplyAsync(callId, new MarkSending(claim), TimeSpan.FromSeconds(1));
        await ApplyAsync(callId, new PlivoAccepted(attempt, "req-" + attempt, "call fired"), TimeSpan.FromSeconds(1));
    }

    /// <summary>After <paramref name="after"/>, the hangup of <paramref name="result"/>'s attempt, ended now (answered that many seconds ago).</summary>
    private async Task HangUpAsync(string callId, AttemptResult result, TimeSpan after)
    {
        var attempt = int.Parse(result.RequestUuid!["req-".Length..], CultureInfo.InvariantCulture);
        var end = _clock.GetUtcNow() + after;
        var timed = result with { EndTime = end, AnswerTime = result.Duration is { } seconds and > 0 ? end.AddSeconds(-seconds) : null };
        await ApplyAsync(callId, new HangupReported(attempt, timed), after);
    }

    /// <summary>After <paramref name="after"/>, applies <paramref name="callEvent"/> to the call in both stores (it must be accepted).</summary>
    private async Task ApplyAsync(string callId, CallEvent callEvent, TimeSpan after)
    {
        _clock.Advance(after);
        foreach (var store in new ICallStore[] { _redisStore, _memory })
        {
            var updated = await store.UpdateAsync(
                callId,
                call =>
                {
                    var transition = Machine.Apply(call, callEvent, _clock.GetUtcNow());
                    Assert.That(transition.Accepted, Is.True, $"{callEvent.GetType().Name} on {callId} ({call.Status}): refused as {transition.RefusedAs}");
                    return transition.Next;
                },
                None);
            Assert.That(updated, Is.Not.Null);
        }
    }

    private async Task CreateAsync(params CallRecord[] calls)
    {
        var inRedis = await _redisStore.CreateAsync(calls, None);
        var inMemory = await _memory.CreateAsync(calls, None);
        Assert.That(inRedis.Concat(inMemory).Select(result => result.Created), Is.All.True);
    }

    /// <summary>For both campaigns and the batch: the Redis tally = the tally of the records = the in-memory tally.</summary>
    private async Task AssertTalliesAgreeAsync(string step)
    {
        var records = await _redisStore.GetManyAsync(["call_a", "call_b", "call_c", "call_d", "call_f"], None);
        foreach (var campaign in new[] { "spring", "autumn" })
        {
            var expected = CallTally.Of(records.Where(call => call.CampaignId == campaign));
            var kept = await _redisStore.GetCampaignTallyAsync(campaign, None);
            var walked = await _memory.GetCampaignTallyAsync(campaign, None);
            Assert.Multiple(() =>
            {
                Assert.That(Summary(kept), Is.EqualTo(Summary(expected)), $"{step}: campaign {campaign} in Redis");
                Assert.That(Summary(walked), Is.EqualTo(Summary(expected)), $"{step}: campaign {campaign} in memory");
                Assert.That((kept?.FirstSeen, kept?.LastActivity), Is.EqualTo((walked?.FirstSeen, walked?.LastActivity)), $"{step}: campaign {campaign} first and last");
            });
        }

        var batchExpected = CallTally.Of(records.Where(call => call.BatchId == "batch-1"));
        var batchKept = await _redisStore.GetBatchTallyAsync("batch-1", None);
        var batchWalked = await _memory.GetBatchTallyAsync("batch-1", None);
        Assert.Multiple(() =>
        {
            Assert.That(Summary(batchKept), Is.EqualTo(Summary(batchExpected)), $"{step}: batch in Redis");
            Assert.That(Summary(batchWalked), Is.EqualTo(Summary(batchExpected)), $"{step}: batch in memory");
            Assert.That((batchKept?.FirstSeen, batchKept?.LastActivity), Is.EqualTo((batchWalked?.FirstSeen, batchWalked?.LastActivity)), $"{step}: batch first and last");
        });
    }

    /// <summary>The tally's counts (non-zero, by descending count then name) and sums, readable in a failure message.</summary>
    private static string Summary(CallTally? tally) => tally is null
        ? "none"
        : string.Create(
            CultureInfo.InvariantCulture,
            $"{Pairs(tally.Counts.Select(pair => (pair.Key.ToWire(), pair.Value)))} | {Pairs(tally.Outcomes.Select(pair => (pair.Key.ToWire(), pair.Value)))} | attempts {tally.Attempts}, ended {tally.AttemptsEnded}, answered {tally.Answered}, talk {tally.TalkSeconds} s, line {tally.LineSeconds} s");

    private static string Pairs(IEnumerable<(string Name, long Count)> pairs) => string.Join(
        ' ',
        pairs.Where(pair => pair.Count != 0)
            .OrderByDescending(pair => pair.Count)
            .ThenBy(pair => pair.Name, StringComparer.Ordinal)
            .Select(pair => string.Create(CultureInfo.InvariantCulture, $"{pair.Name}={pair.Count}")));

    private CallRecord NewCall(string callId, string campaignId, string? batchId = null) => new()
    {
        CallId = callId,
        PhoneNumber = "+919123456789",
        CampaignId = campaignId,
        BatchId = batchId,
        Config = new CallConfig { AnswerUrl = "https://a.example/answer" },
        MaxRetries = 2,
        CreatedAt = _clock.GetUtcNow(),
        UpdatedAt = _clock.GetUtcNow(),
    };
}
