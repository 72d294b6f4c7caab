using CallQueue.Jobs.Audit;

namespace CallQueue.Tests.Audit;

/// <summary>
/// What every <see cref="IAuditLog"/> does, run against both by a subclass each (<see cref="RedisAuditLogTests"/>,
/// <see cref="InMemoryAuditLogTests"/>). Each test gets a new, empty log.
/// </summary>
public abstract class AuditLogContract
{
    protected static readonly CancellationToken None = CancellationToken.None;

    protected static readonly DateTimeOffset At = new(2026, 12, 7, 9, 30, 0, TimeSpan.Zero);

    protected IAuditLog Log { get; private set; } = null!;

    /// <summary>A new, empty log.</summary>
    protected abstract Task<IAuditLog> CreateLogAsync();

    [SetUp]
    public async Task SetUpLogAsync() => Log = await CreateLogAsync();

    protected static AuditEntry Entry(int second, string target = "campaign:spring", string action = "pause", long calls = 0, string? detail = null) =>
        new(At.AddSeconds(second), "ops", action, target, calls, detail);

    [Test]
    public async Task ListAsync_Empty_IsEmpty() =>
        Assert.That(await Log.ListAsync(new AuditQuery(), None), Is.Empty);

    [Test]
    public async Task ListAsync_SeveralEntries_NewestFirstAsRecorded()
    {
        await Log.RecordAsync(Entry(1, action: "pause"), None);
        await Log.RecordAsync(Entry(2, target: "call:c-1", action: "requeue", calls: 1, detail: "via the dashboard"), None);
        await Log.RecordAsync(Entry(3, action: "cancel", calls: 1234), None);

        var entries = await Log.ListAsync(new AuditQuery(), None);

        Assert.That(entries, Is.EqualTo(new[]
        {
            new AuditEntry(At.AddSeconds(3), "ops", "cancel", "campaign:spring", 1234),
            new AuditEntry(At.AddSeconds(2), "ops", "requeue", "call:c-1", 1, "via the dashboard"),
            new AuditEntry(At.AddSeconds(1), "ops", "pause", "campaign:spring", 0),
        }));
    }

    [Test]
    public async Task ListAsync_ByTarget_OnlyThatTargetsEntries()
    {
        await Log.RecordAsync(Entry(1, target: "campaign:spring"), None);
        await Log.RecordAsync(Entry(2, target: "campaign:autumn"), None);
        await Log.RecordAsync(Entry(3, target: "campaign:spring", action: "resume"), None);
        await Log.RecordAsync(Entry(4, target: "campaign:spring-2"), None);

        var entries = await Log.ListAsync(new AuditQuery(Target: "campaign:spring"), None);

        Assert.Multiple(async () =>
        {
            Assert.That(entries.Select(e => (e.Action, e.At)), Is.EqualTo(new[] { ("resume", At.AddSeconds(3)), ("pause", At.AddSeconds(1)) }));
            Assert.That(await Log.ListAsync(new AuditQuery(Target: "campaign:none"), None), Is.Empty);
        });
    }

    [Test]
    public async Task ListAsync_BeforeAndLimit_PagesThroughEveryEntryOnce()
    {
        for (var second = 1; second <= 7; second++)
        {
            await Log.RecordAsync(Entry(second, calls: second), None);
        }

        var seen = new List<long>();
        DateTimeOffset? before = null;
        for (var page = 0; page < 10; page++)
        {
            var entries = await Log.ListAsync(new AuditQuery(Before: before, Limit: 3), None);
            seen.AddRange(entries.Select(e => e.Calls));
            if (entries.Count < 3)
            {
                break;
            }

            before = entries[^1].At;
        }

        Assert.That(seen, Is.EqualTo(new long[] { 7, 6, 5, 4, 3, 2, 1 }));
    }

    [Test]
    public async Task ListAsync_BeforeAnExactTime_LeavesThatTimeOut()
    {
        await Log.RecordAsync(Entry(1, calls: 1), None);
        await Log.RecordAsync(Entry(2, calls: 2), None);

        var strictlyBefore = await Log.ListAsync(new AuditQuery(Before: At.AddSeconds(2)), None);
        var withinTheMillisecond = await Log.ListAsync(new AuditQuery(Before: At.AddSeconds(2).AddTicks(5)), None);

        Assert.Multiple(() =>
        {
            Assert.That(strictlyBefore.Select(e => e.Calls), Is.EqualTo(new long[] { 1 }));
            Assert.That(withinTheMillisecond.Select(e => e.Calls), Is.EqualTo(new long[] { 2, 1 }));
        });
    }

    [Test]
    public async Task RecordAsync_SubMillisecondTime_IsKeptToTheMillisecond()
    {
        await Log.RecordAsync(new AuditEntry(At.AddTicks(12_345), "ops", "pause", "campaign:spring", 0), None);

        var entry = (await Log.ListAsync(new AuditQuery(), None)).Single();

        Assert.That(entry.At, Is.EqualTo(At.AddMilliseconds(1)));
    }

    [Test]
    public async Task RecordAsync_TwoEqualEntries_BothKept()
    {
        await Log.RecordAsync(Entry(1), None);
        await Log.RecordAsync(Entry(1), None);

        Assert.That(await Log.ListAsync(new AuditQuery(), None), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task RecordAsync_SameMillisecond_NewestFirst()
    {
        await Log.RecordAsync(new AuditEntry(At.AddTicks(1), "ops", "pause", "campaign:spring", 0), None);
        await Log.RecordAsync(new AuditEntry(At.AddTicks(2), "ops", "resume", "campaign:spring", 0), None);

        var entries = await Log.ListAsync(new AuditQuery(), None);

        Assert.That(entries.Select(e => e.Action), Is.EqualTo(new[] { "resume", "pause" }));
    }

    [Test]
    public async Task RecordAsync_UnicodeAndMarkup_ReadBackAsGiven()
    {
        var entry = new AuditEntry(At, "Zoë <ops>", "dnc.add", "dnc:+91•••••6789", 0, "\"reason\": <b>ü</b>");

        await Log.RecordAsync(entry, None);

        Assert.That((await Log.ListAsync(new AuditQuery(Target: "dnc:+91•••••6789"), None)).Single(), Is.EqualTo(entry));
    }

    [Test]
    public async Task ListAsync_LimitAboveTheMaximum_ReturnsAtMostTheMaximum()
    {
        for (var i = 0; i < AuditLimits.MaxListed + 5; i++)
        {
            await Log.RecordAsync(new AuditEntry(At.AddMilliseconds(i), "ops", "requeue", "call:c", 1), None);
        }

        Assert.That(await Log.ListAsync(new AuditQuery(Limit: 10_000), None), Has.Count.EqualTo(AuditLimits.MaxListed));
    }
}
