using System.Text.Json;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Storage;
using Microsoft.Extensions.Time.Testing;

namespace CallQueue.Tests.Storage;

/// <summary>
/// What every <see cref="ICallStore"/> does, run against both twins by a subclass each (<see cref="RedisCallStoreTests"/>,
/// <see cref="InMemoryCallStoreTests"/>): Redis is the production store, and the in-memory one must not drift from it.
/// Each test gets a new, empty store on a fake clock. The tests are split by area over the <c>CallStoreContract.*.cs</c> files.
/// </summary>
public abstract partial class CallStoreContract
{
    protected static readonly CancellationToken None = CancellationToken.None;

    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The clock the store reads (record stamps, index scores).</summary>
    protected FakeTimeProvider Clock { get; private set; } = null!;

    protected ICallStore Store { get; private set; } = null!;

    /// <summary>A new, empty store that reads the time from <paramref name="clock"/>.</summary>
    protected abstract Task<ICallStore> CreateStoreAsync(TimeProvider clock);

    /// <summary>The same store as another process sees it (in memory: the one instance, all a process has).</summary>
    protected abstract Task<ICallStore> ConnectAnotherProcessAsync();

    /// <summary>Lets <paramref name="time"/> pass for the store: its clock, and whatever it expires on its own clock.</summary>
    protected virtual Task LetTimePassAsync(TimeSpan time)
    {
        Clock.Advance(time);
        return Task.CompletedTask;
    }

    [SetUp]
    public async Task SetUpStoreAsync()
    {
        Clock = new FakeTimeProvider(Start);
        Store = await CreateStoreAsync(Clock);
    }

    [Test]
    public async Task GetAsync_UnknownCall_ReturnsNull() =>
        Assert.That(await Store.GetAsync("call_unknown", None), Is.Null);

    [Test]
    public async Task GetManyAsync_SomeUnknown_ReturnsTheStoredOnesInRequestOrder()
    {
        var (a, b, c) = (NewCall("call_a"), NewCall("call_b"), NewCall("call_c"));
        await Store.CreateAsync([a, b, c], None);

        var calls = await Store.GetManyAsync(["call_c", "call_unknown", "call_a", "call_b"], None);

        Assert.That(calls.Select(Json), Is.EqualTo(new[] { Json(c), Json(a), Json(b) }));
        Assert.That(await Store.GetManyAsync([], None), Is.Empty);
    }

    [Test]
    public async Task PingAsync_StoreUp_ReturnsTheRoundTrip() =>
        Assert.That(await Store.PingAsync(None), Is.GreaterThanOrEqualTo(TimeSpan.Zero));

    /// <summary>A queued call stamped now on <see cref="Clock"/>.</summary>
    protected CallRecord NewCall(string callId, string campaignId = "campaign-1") => new()
    {
        CallId = callId,
        PhoneNumber = "+919123456789",
        CampaignId = campaignId,
        Config = new CallConfig { AnswerUrl = "https://a.example/answer" },
        CreatedAt = Clock.GetUtcNow(),
        UpdatedAt = Clock.GetUtcNow(),
    };

    /// <summary>A record as stored (records hold lists, so record equality would compare references).</summary>
    protected static string Json(CallRecord? call) => JsonSerializer.Serialize(call, CallJson.Options);

    private async Task<long> CountAsync(CallStatus status) => (await Store.CountByStatusAsync(None))[status];
}
