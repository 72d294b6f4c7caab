using System.Text.Json;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Storage;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace CallQueue.Tests.Storage;

/// <summary>
/// The call record's form in Redis (issue 15): today's compact string, and the hash every record had before, which a
/// deployment upgraded in place still holds for its queued calls: they are read, updated and dialed as before.
/// </summary>
[TestFixture]
[Category("Redis")]
public sealed class StoredRecordFormatTests
{
    // A call record exactly as the service stored it before issue 15 (HSET {p}:call:<id> d <this> v 4): the API's JSON,
    // every kind of field set (an ended attempt, a hold, decisions, notes, the agent handoff, an offset scheduled_at).
    private const string RecordBeforeIssue15 =
        """
        {"call_id":"old-1","phone_number":"\u002B919123456789","campaign_id":"spring","config":{"flow_name":"wishfin-test","answer_url":"https://your-domain.com/outbound-answer","answer_method":"POST","variables":{"name":"John Doe","row":1},"max_duration":600,"ring_timeout":30,"retry_delay_seconds":300,"timezone":"Asia/Kolkata","calling_window":{"start":"10:00","end":"18:00","days":["mon","tue"]}},"priority":"high","max_retries":3,"status":"retry","batch_id":"b1","idempotency_key":"k-1","created_at":"2026-12-01T09:30:00.1234567+00:00","updated_at":"2026-12-01T09:35:12.5+00:00","scheduled_at":"2026-12-01T15:00:00+05:30","expires_at":"2026-12-08T00:00:00+00:00","hold":{"rule":"calling_hours","until":"2026-12-02T04:30:00+00:00"},"decisions":[{"at":"2026-12-01T09:35:12.5+00:00","rule":"calling_hours","said":"outside 10:00-18:00 Asia/Kolkata"}],"next_attempt_at":"2026-12-02T04:30:00+00:00","job_id":"a00aa488-c7a6-4ed0-86e8-30991faa909b","status_reason":"No answer; retry 2 of 4 at 10:00 Asia/Kolkata","attempts":[{"number":1,"started_at":"2026-12-01T09:31:00+00:00","job_id":"a00aa488-c7a6-4ed0-86e8-30991faa909b","claim_token":"t-1","sent_at":"2026-12-01T09:31:00.01+00:00","request_uuid":"r-1","call_uuid":"c-1","accepted_at":"2026-12-01T09:31:00.2+00:00","ringing_at":"2026-12-01T09:31:02+00:00","ended_at":"2026-12-01T09:31:32+00:00","result_source":"hangup callback","outcome":"no_answer","hangup_cause":"NO_ANSWER","hangup_cause_name":"No Answer","hangup_source":"Carrier","hangup_cause_code":3010,"duration":0,"bill_duration":0}],"agent":{"dial_attempt":1,"attempts":1,"last_error":"timeout","last_status_code":504},"attempt_offset":1,"notes":[{"at":"2026-12-01T09:32:00+00:00","text":"Requeued by ops"}],"trace_parent":"00-840387cbf74d3a7a35d935a7e12f4690-29f6a65e67274c91-02","event_sequence":4}
        """;

    private ConnectionMultiplexer _redis = null!;
    private string _prefix = null!;
    private FakeTimeProvider _clock = null!;
    private RedisCallStore _store = null!;

    [OneTimeSetUp]
    public async Task ConnectAsync() => _redis = await ConnectionMultiplexer.ConnectAsync(SharedRedis.Server.ConnectionString);

    [OneTimeTearDown]
    public async Task DisconnectAsync() => await _redis.DisposeAsync();

    [SetUp]
    public void CreateStore()
    {
        _prefix = SharedRedis.NewKeyPrefix();
        _clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));
        _store = new RedisCallStore(_redis, _prefix, _clock);
    }

    private IDatabase Db => _redis.GetDatabase();

    [Test]
    public async Task GetAsync_RecordStoredBeforeIssue15_ReadsEveryField()
    {
        await StoreBeforeIssue15Async("old-1", version: 4);

        var call = await _store.GetAsync("old-1", CancellationToken.None);

        Assert.That(ApiJson(call), Is.EqualTo(ApiJson(JsonSerializer.Deserialize<CallRecord>(RecordBeforeIssue15, CallJson.Options))), "the API shows it as before");
        Assert.Multiple(() =>
        {
            Assert.That(call!.Status, Is.EqualTo(CallStatus.Retry));
            Assert.That(call.ScheduledAt!.Value.Offset, Is.EqualTo(TimeSpan.FromHours(5.5)));
            Assert.That(call.Attempts, Has.Count.EqualTo(1));
            Assert.That(call.Attempts[0].Outcome, Is.EqualTo(CallOutcome.NoAnswer));
            Assert.That(call.Hold, Is.EqualTo(new CallHold(SafetyRule.CallingHours, new DateTimeOffset(2026, 12, 2, 4, 30, 0, TimeSpan.Zero))));
            Assert.That(call.Config.Variables!.Value.GetProperty("name").GetString(), Is.EqualTo("John Doe"));
            Assert.That(call.EventSequence, Is.EqualTo(4));
        });
    }

    [Test]
    public async Task GetManyAsync_RecordsOfBothForms_ReadsAllInOrder()
    {
        await StoreBeforeIssue15Async("old-1", version: 4);
        await _store.CreateAsync([NewCall("new-1")], CancellationToken.None);

        var calls = await _store.GetManyAsync(["new-1", "old-1", "missing"], CancellationToken.None);

        Assert.That(calls.Select(call => call.CallId), Is.EqualTo(new[] { "new-1", "old-1" }));
    }

    [Test]
    public async Task UpdateAsync_RecordStoredBeforeIssue15_WritesTodaysFormWithTheChange()
    {
        await StoreBeforeIssue15Async("old-1", version: 4);

        var updated = await _store.UpdateAsync("old-1", call => call with { StatusReason = "Requeued" }, CancellationToken.None);

        var read = await _store.GetAsync("old-1", CancellationToken.None);
        Assert.Multiple(async () =>
        {
            Assert.That(await Db.KeyTypeAsync(Key("call:old-1")), Is.EqualTo(RedisType.String), "stored in today's form");
            Assert.That(read!.StatusReason, Is.EqualTo("Requeued"));
            Assert.That(ApiJson(read), Is.EqualTo(ApiJson(updated)));
            Assert.That(read.Attempts[0].HangupCauseCode, Is.EqualTo(3010), "nothing else lost");
        });
    }

    [Test]
    public async Task UpdateAsync_RecordBeforeIssue15ChangedByAnOldProcessMeanwhile_RetriesOnItsVersion()
    {
        await StoreBeforeIssue15Async("old-1", version: 4);
        var first = true;

        // While this update runs, a process still on the old version rewrites the record (bumping v): the change is
        // applied on top of that one, not over it.
        var updated = await _store.UpdateAsync(
            "old-1",
            call =>
            {
                if (first)
                {
                    first = false;
                    var changed = RecordBeforeIssue15.Replace("\"max_retries\":3", "\"max_retries\":5", StringComparison.Ordinal);
                    Db.HashSet(Key("call:old-1"), [new("d", changed), new("v", 5)]);
                }

                return call with { StatusReason = "Requeued" };
            },
            CancellationToken.None);

        Assert.That(updated!.MaxRetries, Is.EqualTo(5), "the old process's change kept");
        Assert.That((await _store.GetAsync("old-1", CancellationToken.None))!.StatusReason, Is.EqualTo("Requeued"));
    }

    [Test]
    public async Task AssignJobAsync_RecordStoredBeforeIssue15WithoutAJob_RecordsTheJob()
    {
        var withoutJob = JsonSerializer.Deserialize<CallRecord>(RecordBeforeIssue15, CallJson.Options)! with { JobId = null };
        await Db.HashSetAsync(Key("call:old-1"), [new("d", JsonSerializer.Serialize(withoutJob, CallJson.Options)), new("v", 1)]);

        var owner = await _store.AssignJobAsync(withoutJob, "job-9", CancellationToken.None);

        Assert.That(owner, Is.EqualTo("job-9"));
        Assert.That((await _store.GetAsync("old-1", CancellationToken.None))!.JobId, Is.EqualTo("job-9"));
    }

    [Test]
    public async Task CreateAsync_QueuedCall_StoredCompactlyAndReadBackAsGiven()
    {
        var call = NewCall("new-1") with { ScheduledAt = new DateTimeOffset(2026, 12, 8, 15, 0, 0, TimeSpan.FromHours(5.5)) };

        await _store.CreateAsync([call], CancellationToken.None);

        var stored = (string?)await Db.StringGetAsync(Key("call:new-1"));
        var read = await _store.GetAsync("new-1", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(ApiJson(read), Is.EqualTo(ApiJson(call)), "read back as given, scheduled_at's offset too");
            Assert.That(stored, Does.Not.Contain("answer_method").And.Not.Contain("\"att\"").And.Not.Contain("\"pri\""), "what a new record holds anyway is not written");
            Assert.That(stored, Does.Contain("\"to\":").And.Contain("\"url\":"), "short names");
        });
    }

    [Test]
    public async Task CreateAsync_EveryFieldSet_ReadBackEqual()
    {
        var every = JsonSerializer.Deserialize<CallRecord>(RecordBeforeIssue15, CallJson.Options)! with
        {
            CallId = "new-1",
            Priority = CallPriority.Low,
            Status = CallStatus.Queued,
            AttemptOffset = 0,
            MaxRetries = 0,
            Result = new AgentResult { ReceivedAt = _clock.GetUtcNow(), CallOutcome = "sale", Raw = JsonDocument.Parse("""{"x":1}""").RootElement },
        };

        await _store.CreateAsync([every], CancellationToken.None);

        Assert.That(ApiJson(await _store.GetAsync("new-1", CancellationToken.None)), Is.EqualTo(ApiJson(every)));
    }

    [Test]
    public async Task FindCallIdsByPhoneNumberAsync_CallsIndexedBeforeIssue15AndAfter_NewestFirst()
    {
        // Before issue 15 each number had a sorted set of its calls; today's calls go to a bucket of numbers.
        await Db.SortedSetAddAsync(Key("phone:+919123456789"), [new("old-1", 1), new("old-2", 2)]);
        await _store.CreateAsync([NewCall("new-1")], CancellationToken.None);
        await _store.CreateAsync([NewCall("new-2")], CancellationToken.None);

        var all = await _store.FindCallIdsByPhoneNumberAsync("+919123456789", 10, CancellationToken.None);
        var three = await _store.FindCallIdsByPhoneNumberAsync("+919123456789", 3, CancellationToken.None);

        Assert.That(all, Is.EqualTo(new[] { "new-2", "new-1", "old-2", "old-1" }));
        Assert.That(three, Is.EqualTo(new[] { "new-2", "new-1", "old-2" }));
    }

    [Test]
    public async Task FindCallIdsByPhoneNumberAsync_NumbersCalledOnceAndSeveralTimes_EveryCallNewestFirst()
    {
        await _store.CreateAsync([NewCall("once") with { PhoneNumber = "+919100006789" }], CancellationToken.None);
        foreach (var chunk in Enumerable.Range(0, 12).Select(i => NewCall($"c-{i:D2}")).Chunk(5))
        {
            await _store.CreateAsync(chunk, CancellationToken.None);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        var several = await _store.FindCallIdsByPhoneNumberAsync("+919123456789", 50, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(several, Is.EqualTo(Enumerable.Range(0, 12).Reverse().Select(i => $"c-{i:D2}")));
            Assert.That(await _store.FindCallIdsByPhoneNumberAsync("+919100006789", 10, CancellationToken.None), Is.EqualTo(new[] { "once" }), "a number called once, in the same bucket");
            Assert.That((string?)await Db.ExecuteAsync("OBJECT", "ENCODING", Key("phones:6789")), Is.EqualTo("listpack"), "the bucket stays compact");
        });
    }

    private CallRecord NewCall(string callId) => new()
    {
        CallId = callId,
        PhoneNumber = "+919123456789",
        CampaignId = "spring",
        Config = new CallConfig { FlowName = "wishfin-test", AnswerUrl = "https://your-domain.com/outbound-answer", RetryDelaySeconds = 300 },
        MaxRetries = 3,
        CreatedAt = _clock.GetUtcNow(),
        UpdatedAt = _clock.GetUtcNow(),
        StatusReason = "Queued",
    };

    private Task StoreBeforeIssue15Async(string callId, long version) =>
        Db.HashSetAsync(Key("call:" + callId), [new("d", RecordBeforeIssue15), new("v", version)]);

    private static string ApiJson(CallRecord? call) => JsonSerializer.Serialize(call, CallJson.Options);

    private string Key(string name) => "{" + _prefix + "}:" + name;
}
