using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Storage;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace CallQueue.Tests.Campaigns;

/// <summary>
/// The store's indexes for the operator (issue 12), on both stores: the campaign list (newest first by its first call,
/// paged) and the search by phone number (newest first, at most the limit).
/// </summary>
[TestFixture("redis")]
[TestFixture("memory")]
public sealed class CampaignIndexTests(string storage)
{
    private const string Number = "+919123456789";

    private static readonly CancellationToken None = CancellationToken.None;

    private ConnectionMultiplexer? _redis;
    private FakeTimeProvider _clock = null!;
    private ICallStore _store = null!;

    [OneTimeSetUp]
    public async Task ConnectAsync() =>
        _redis = storage == "redis" ? await ConnectionMultiplexer.ConnectAsync(SharedRedis.Server.ConnectionString) : null;

    [OneTimeTearDown]
    public async Task DisconnectAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    [SetUp]
    public void CreateStore()
    {
        _clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
        _store = _redis is null ? new InMemoryCallStore(_clock) : new RedisCallStore(_redis, SharedRedis.NewKeyPrefix(), _clock);
    }

    [Test]
    public async Task GetCampaignIdsAsync_ThreeCampaigns_NewestFirstByTheirFirstCallInPages()
    {
        await CreateAsync(NewCall("call_1", "spring"));
        await CreateAsync(NewCall("call_2", "summer"), NewCall("call_3", "summer"));
        await CreateAsync(NewCall("call_4", "autumn"));
        await CreateAsync(NewCall("call_5", "spring")); // a later call does not move its campaign up

        var first = await _store.GetCampaignIdsAsync(0, 2, None);
        var second = await _store.GetCampaignIdsAsync(2, 2, None);
        var past = await _store.GetCampaignIdsAsync(3, 2, None);
        var all = await _store.GetCampaignIdsAsync(0, 100, None);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(new[] { "autumn", "summer" }));
            Assert.That(second, Is.EqualTo(new[] { "spring" }));
            Assert.That(past, Is.Empty);
            Assert.That(all, Is.EqualTo(new[] { "autumn", "summer", "spring" }));
        });
    }

    [Test]
    public async Task FindCallIdsByPhoneNumberAsync_SeveralCallsToTheNumber_NewestFirstUpToTheLimit()
    {
        await CreateAsync(NewCall("call_a", "spring"));
        await CreateAsync(NewCall("call_b", "summer"));
        await CreateAsync(NewCall("call_x", "spring") with { PhoneNumber = "+14155550123" });
        await CreateAsync(NewCall("call_c", "spring"));

        var two = await _store.FindCallIdsByPhoneNumberAsync(Number, 2, None);
        var all = await _store.FindCallIdsByPhoneNumberAsync(Number, 10, None);
        var other = await _store.FindCallIdsByPhoneNumberAsync("+14155550123", 10, None);
        var nobody = await _store.FindCallIdsByPhoneNumberAsync("+14155550999", 10, None);

        Assert.Multiple(() =>
        {
            Assert.That(two, Is.EqualTo(new[] { "call_c", "call_b" }));
            Assert.That(all, Is.EqualTo(new[] { "call_c", "call_b", "call_a" }));
            Assert.That(other, Is.EqualTo(new[] { "call_x" }));
            Assert.That(nobody, Is.Empty);
        });
    }

    [Test]
    public async Task WithdrawAsync_ACall_LeavesNoSearchHit()
    {
        await CreateAsync(NewCall("call_a", "spring"));
        await CreateAsync(NewCall("call_w", "spring") with { PhoneNumber = "+14155550177" });

        Assert.That(await _store.WithdrawAsync((await _store.GetAsync("call_w", None))!, None), Is.True);

        Assert.That(await _store.FindCallIdsByPhoneNumberAsync("+14155550177", 10, None), Is.Empty);
    }

    /// <summary>Stores <paramref name="calls"/> a second after the previous ones.</summary>
    private async Task CreateAsync(params CallRecord[] calls)
    {
        _clock.Advance(TimeSpan.FromSeconds(1));
        var stamped = calls.Select(call => call with { CreatedAt = _clock.GetUtcNow(), UpdatedAt = _clock.GetUtcNow() }).ToList();
        Assert.That((await _store.CreateAsync(stamped, None)).Select(result => result.Created), Is.All.True);
    }

    private static CallRecord NewCall(string callId, string campaignId) => new()
    {
        CallId = callId,
        PhoneNumber = Number,
        CampaignId = campaignId,
        Config = new CallConfig { AnswerUrl = "https://a.example/answer" },
    };
}
