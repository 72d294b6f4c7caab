using CallQueue.Jobs.Safety;

namespace CallQueue.Tests.Safety;

/// <summary>
/// What every <see cref="IDoNotCallList"/> does, run against both twins by a subclass each (<see cref="RedisDoNotCallListTests"/>,
/// <see cref="InMemoryDoNotCallListTests"/>). Each test gets a new, empty list.
/// </summary>
public abstract class DoNotCallListContract
{
    protected static readonly CancellationToken None = CancellationToken.None;

    protected static readonly DateTimeOffset At = new(2026, 12, 7, 9, 30, 0, TimeSpan.Zero);

    protected IDoNotCallList List { get; private set; } = null!;

    /// <summary>A new, empty list.</summary>
    protected abstract Task<IDoNotCallList> CreateListAsync();

    [SetUp]
    public async Task SetUpListAsync() => List = await CreateListAsync();

    protected static DoNotCallEntry Global(string? reason = null, DoNotCallSource source = DoNotCallSource.Api) => new(null, reason, source, At);

    protected static DoNotCallEntry ForCampaign(string campaignId, string? reason = null) => new(campaignId, reason, DoNotCallSource.Api, At);

    [Test]
    public async Task AddAsync_NewAndListedNumbers_ReportsAddedPerNumberInRequestOrder()
    {
        await List.AddAsync(["+919876543210"], Global(), None);

        var added = await List.AddAsync(["+14155550123", "+919876543210", "+14155550123", "+447911123456"], Global("later"), None);

        Assert.That(added, Is.EqualTo(new[] { true, false, false, true }), "listed before, or given twice, counts as already listed");
        Assert.That((await List.GetAsync("+919876543210", None)).Single().Reason, Is.Null, "an already listed number keeps its entry");
    }

    [Test]
    public async Task GetAsync_UnlistedNumber_IsEmpty() =>
        Assert.That(await List.GetAsync("+919876543210", None), Is.Empty);

    [Test]
    public async Task GetAsync_EveryKindOfEntry_ReadsBackAsAddedGlobalFirst()
    {
        const string Number = "+919876543210";
        await List.AddAsync([Number], ForCampaign("spring sale ü", "asked on the phone"), None);
        await List.AddAsync([Number], Global(source: DoNotCallSource.Agent, reason: "opt_out"), None);
        await List.AddAsync([Number], ForCampaign("autumn"), None);

        var entries = await List.GetAsync(Number, None);

        Assert.That(entries, Is.EqualTo(new[]
        {
            new DoNotCallEntry(null, "opt_out", DoNotCallSource.Agent, At),
            new DoNotCallEntry("autumn", null, DoNotCallSource.Api, At),
            new DoNotCallEntry("spring sale ü", "asked on the phone", DoNotCallSource.Api, At),
        }));
        Assert.That(entries.Select(entry => entry.Scope), Is.EqualTo(new[] { "global", "campaign", "campaign" }));
    }

    [Test]
    public async Task AddAsync_AddedAtWithSeconds_KeepsTheWholeMinuteInUtc()
    {
        await List.AddAsync(["+14155550123"], Global() with { AddedAt = At.AddSeconds(59.999).ToOffset(TimeSpan.FromHours(5.5)) }, None);
        await List.AddAsync(["+14155550124"], ForCampaign("c") with { AddedAt = At.AddSeconds(1) }, None);

        Assert.That((await List.GetAsync("+14155550123", None)).Single().AddedAt, Is.EqualTo(At));
        Assert.That((await List.GetAsync("+14155550124", None)).Single().AddedAt.Offset, Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public async Task AddAsync_LongReasonsAndCampaigns_ReadBackWhole()
    {
        var reason = new string('r', DoNotCallEntry.ReasonMaxLength);
        var campaigns = Enumerable.Range(0, 12).Select(i => $"campaign-{i:D3}-" + new string('c', 100)).ToList();
        await List.AddAsync(["+919876543210"], Global(reason), None);
        foreach (var campaign in campaigns)
        {
            await List.AddAsync(["+919876543210"], ForCampaign(campaign), None);
        }

        var entries = await List.GetAsync("+919876543210", None);
        Assert.That(entries.Select(entry => entry.CampaignId), Is.EqualTo(new string?[] { null }.Concat(campaigns)));
        Assert.That(entries[0].Reason, Is.EqualTo(reason));
        Assert.That(await List.RemoveAsync("+919876543210", null, None), Is.True);
        Assert.That(await List.IsBlockedAsync("+919876543210", campaigns[5], None), Is.EqualTo(ForCampaign(campaigns[5])));
    }

    [Test]
    public async Task AddAsync_NumbersSharingABucket_AreKeptApart()
    {
        // Same leading digits, different last five: one bucket, two fields.
        await List.AddAsync(["+919876500001"], Global(), None);

        Assert.That(await List.GetAsync("+919876500002", None), Is.Empty);
        Assert.That(await List.GetAsync("+919876500001", None), Has.Count.EqualTo(1));
        Assert.That(await List.GetAsync("+19876500001", None), Is.Empty, "same last digits, another bucket");
    }

    [TestCase("9876543210")]
    [TestCase("+91 98765 43210")]
    [TestCase("+1234567")]
    [TestCase("")]
    public void EveryOperation_NotE164_Throws(string number)
    {
        Assert.ThrowsAsync<ArgumentException>(() => List.AddAsync(["+14155550123", number], Global(), None));
        Assert.ThrowsAsync<ArgumentException>(() => List.GetAsync(number, None));
        Assert.ThrowsAsync<ArgumentException>(() => List.RemoveAsync(number, null, None));
        Assert.ThrowsAsync<ArgumentException>(() => List.IsBlockedAsync(number, null, None));
        Assert.ThrowsAsync<ArgumentException>(() => List.IsBlockedAsync([("+14155550123", null), (number, null)], None));
    }

    [Test]
    public async Task AddAsync_ReasonWithAControlCharacter_ThrowsAndListsNothing()
    {
        Assert.ThrowsAsync<ArgumentException>(() => List.AddAsync(["+14155550123"], Global("a\u001fb"), None));

        Assert.That(await List.GetAsync("+14155550123", None), Is.Empty);
    }

    [Test]
    public async Task RemoveAsync_ByScope_RemovesOnlyThatEntry()
    {
        const string Number = "+14155550123";
        await List.AddAsync([Number], Global(), None);
        await List.AddAsync([Number], ForCampaign("c1"), None);

        var campaignRemoved = await List.RemoveAsync(Number, "c1", None);
        var again = await List.RemoveAsync(Number, "c1", None);
        var other = await List.RemoveAsync(Number, "c2", None);
        var globalRemoved = await List.RemoveAsync(Number, null, None);

        Assert.Multiple(async () =>
        {
            Assert.That((campaignRemoved, again, other, globalRemoved), Is.EqualTo((true, false, false, true)));
            Assert.That(await List.GetAsync(Number, None), Is.Empty);
            Assert.That(await List.RemoveAsync(Number, null, None), Is.False);
            Assert.That(await List.AddAsync([Number], Global(), None), Is.EqualTo(new[] { true }), "listed again after removal");
        });
    }

    [Test]
    public async Task IsBlockedAsync_GlobalEntry_BlocksEveryCampaignAndWins()
    {
        await List.AddAsync(["+14155550123"], ForCampaign("c1", "campaign reason"), None);
        await List.AddAsync(["+14155550123"], Global("global reason"), None);

        Assert.Multiple(async () =>
        {
            Assert.That(await List.IsBlockedAsync("+14155550123", "c1", None), Is.EqualTo(Global("global reason")));
            Assert.That(await List.IsBlockedAsync("+14155550123", "c2", None), Is.EqualTo(Global("global reason")));
            Assert.That(await List.IsBlockedAsync("+14155550123", null, None), Is.EqualTo(Global("global reason")));
        });
    }

    [Test]
    public async Task IsBlockedAsync_CampaignEntry_BlocksOnlyThatCampaign()
    {
        await List.AddAsync(["+14155550123"], ForCampaign("c1", "asked"), None);

        Assert.Multiple(async () =>
        {
            Assert.That(await List.IsBlockedAsync("+14155550123", "c1", None), Is.EqualTo(ForCampaign("c1", "asked")));
            Assert.That(await List.IsBlockedAsync("+14155550123", "c2", None), Is.Null);
            Assert.That(await List.IsBlockedAsync("+14155550123", "C1", None), Is.Null, "campaign ids are compared exactly");
            Assert.That(await List.IsBlockedAsync("+14155550123", null, None), Is.Null);
            Assert.That(await List.IsBlockedAsync("+14155550124", "c1", None), Is.Null);
        });
    }

    [Test]
    public async Task IsBlockedAsync_CommonCaseGlobalFromTheApi_ReturnsIt()
    {
        await List.AddAsync(["+14155550123"], Global(), None);

        Assert.That(await List.IsBlockedAsync("+14155550123", "any", None), Is.EqualTo(Global()));
    }

    [Test]
    public async Task AddAsync_ManyNumbersInOneCall_ListsEveryOne()
    {
        var numbers = Enumerable.Range(0, 2_500).Select(i => "+9198765" + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture)).ToList();

        var added = await List.AddAsync(numbers, Global(), None);

        Assert.That(added, Has.Count.EqualTo(2_500).And.All.True);
        Assert.That(await List.IsBlockedAsync(numbers[^1], "x", None), Is.Not.Null);
        Assert.That(await List.AddAsync(numbers, Global(), None), Has.All.False);
    }

    [Test]
    public async Task AddAsync_ConcurrentAddsOfOneNumber_KeepEveryScope()
    {
        var campaigns = Enumerable.Range(0, 20).Select(i => "c" + i).ToList();

        await Task.WhenAll(campaigns.Select(campaign => Task.Run(() => List.AddAsync(["+14155550123"], ForCampaign(campaign), None))));

        Assert.That((await List.GetAsync("+14155550123", None)).Select(entry => entry.CampaignId), Is.EquivalentTo(campaigns));
    }

    [Test]
    public async Task IsBlockedAsync_ManyCalls_AnswersPerCallInRequestOrderAsTheSingleCheck()
    {
        await List.AddAsync(["+14155550123"], Global("global reason"), None);
        await List.AddAsync(["+14155550124"], ForCampaign("c1", "asked"), None);
        await List.AddAsync(["+919876543210"], Global(new string('r', 200)), None); // kept in the side hash in Redis
        (string, string?)[] calls =
        [
            ("+14155550124", "c2"),
            ("+14155550123", "c1"),
            ("+14155550124", "c1"),
            ("+14155550125", "c1"),
            ("+14155550123", null),
            ("+919876543210", "c9"),
            ("+14155550124", null),
        ];

        var found = await List.IsBlockedAsync(calls, None);

        Assert.That(found, Is.EqualTo(new[]
        {
            null,
            Global("global reason"),
            ForCampaign("c1", "asked"),
            null,
            Global("global reason"),
            Global(new string('r', 200)),
            null,
        }));
        for (var i = 0; i < calls.Length; i++)
        {
            Assert.That(await List.IsBlockedAsync(calls[i].Item1, calls[i].Item2, None), Is.EqualTo(found[i]), $"call {i}");
        }
    }

    [Test]
    public async Task IsBlockedAsync_TenThousandCalls_FindsEveryListedOne()
    {
        var numbers = Enumerable.Range(0, 10_000).Select(i => "+9198765" + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        await List.AddAsync(numbers.Where((_, i) => i % 3 == 0).ToList(), Global(), None);

        var found = await List.IsBlockedAsync(numbers.Select(number => (number, (string?)"c")).ToList(), None);

        Assert.That(found.Select(entry => entry is not null), Is.EqualTo(numbers.Select((_, i) => i % 3 == 0)));
        Assert.That(await List.IsBlockedAsync([], None), Is.Empty);
    }
}
