using System.Text.Json;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Hosting;
using CallQueue.Jobs.Ingest;
using CallQueue.Jobs.Storage;
using Hangfire;
using Hangfire.Logging;
using Hangfire.Redis.StackExchange;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace CallQueue.Tests.Storage;

/// <summary>
/// A single call's dial job written by the script that stores the call (<see cref="IEnqueuingCallStore"/>, issue 15) is
/// the job Hangfire itself writes: the same keys, types, encodings, TTLs and fields (ids and instants aside), in the same
/// queue, announced on the channel Hangfire's servers wait on, and fetched and read back by Hangfire's Redis storage. If an
/// upgrade of Hangfire.Redis.StackExchange changes its layout, this fails before anything is dialed from a wrong job.
/// </summary>
[TestFixture]
[Category("Redis")]
public sealed class InlineDialJobTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private ConnectionMultiplexer _redis = null!;
    private ServiceProvider _services = null!;
    private string _hangfire = null!;
    private RedisStorage _storage = null!;
    private RedisCallStore _store = null!;

    [OneTimeSetUp]
    public async Task ConnectAsync()
    {
        _redis = await ConnectionMultiplexer.ConnectAsync(SharedRedis.Server.ConnectionString);
        _services = new ServiceCollection().BuildServiceProvider();
    }

    [OneTimeTearDown]
    public async Task DisconnectAsync()
    {
        await _services.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [SetUp]
    public void CreateStores()
    {
        LogProvider.SetCurrentLogProvider(new Support.HangfireContexts.SilentLogProvider()); // not a disposed host's logger factory
        var prefix = SharedRedis.NewKeyPrefix();
        _hangfire = "{" + prefix + "}:hangfire:";
        _storage = new RedisStorage(_redis, new RedisStorageOptions { Prefix = _hangfire, Db = _redis.GetDatabase().Database });
        _store = new RedisCallStore(_redis, prefix, TimeProvider.System, hangfirePrefix: _hangfire);
    }

    [Test]
    public async Task CreateEnqueuedAsync_NewCall_WritesTheJobHangfiresClientWrites()
    {
        var theirs = NewCall("call_theirs");
        await _store.CreateAsync([theirs], None);
        var client = new BackgroundJobClient(_storage, new CallQueueJobFilterProvider(_services));
        var theirJob = (await new DialJobFactory(client, _store, TimeProvider.System).CreateAsync(theirs, None))!;

        var (ours, job) = WithNewJob(NewCall("call_ours"));
        var created = await _store.CreateEnqueuedAsync(ours, job, EnqueueGuard.None, None);

        Assert.That(created.Created, Is.EqualTo(new CreateCallResult("call_ours", Created: true)));
        var db = _redis.GetDatabase();
        foreach (var suffix in new[] { string.Empty, ":state", ":history" })
        {
            var (their, our) = ((RedisKey)(_hangfire + "job:" + theirJob + suffix), (RedisKey)(_hangfire + "job:" + ours.JobId + suffix));
            Assert.That(await db.KeyTypeAsync(our), Is.EqualTo(await db.KeyTypeAsync(their)), "type of job" + suffix);
            Assert.That(
                (string?)await db.ExecuteAsync("OBJECT", "ENCODING", our), Is.EqualTo((string?)await db.ExecuteAsync("OBJECT", "ENCODING", their)), "encoding of job" + suffix);
            Assert.That(await db.KeyTimeToLiveAsync(our), Is.EqualTo(await db.KeyTimeToLiveAsync(their)), "TTL of job" + suffix);
        }

        Assert.That(Normalised(await db.HashGetAllAsync(_hangfire + "job:" + ours.JobId), "call_ours"), Is.EqualTo(Normalised(await db.HashGetAllAsync(_hangfire + "job:" + theirJob), "call_theirs")));
        Assert.That(Normalised(await db.HashGetAllAsync(_hangfire + "job:" + ours.JobId + ":state"), "call_ours"), Is.EqualTo(Normalised(await db.HashGetAllAsync(_hangfire + "job:" + theirJob + ":state"), "call_theirs")));
        Assert.That(
            (await db.ListRangeAsync(_hangfire + "job:" + ours.JobId + ":history")).Select(entry => Normalised(entry!)),
            Is.EqualTo((await db.ListRangeAsync(_hangfire + "job:" + theirJob + ":history")).Select(entry => Normalised(entry!))));
        Assert.That((await db.ListRangeAsync(_hangfire + "queue:normal")).Select(id => id.ToString()), Is.EqualTo(new[] { ours.JobId, theirJob }), "both in the normal queue, newest on the left");
        Assert.That((await db.SetMembersAsync(_hangfire + "queues")).Select(queue => queue.ToString()), Is.EqualTo(new[] { "normal" }));
        Assert.That((await _store.GetAsync("call_ours", None))!.JobId, Is.EqualTo(ours.JobId), "the call names its job");
        Assert.That(await _store.GetCallsAwaitingJobAsync(TimeSpan.Zero, 10, None), Is.Empty, "a call stored with its job awaits none");
    }

    [Test]
    public async Task CreateEnqueuedAsync_NewCall_HangfireFetchesAndReadsItsJob()
    {
        var (ours, job) = WithNewJob(NewCall("call_ours") with { Priority = CallPriority.High });
        var announced = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var channel = RedisChannel.Literal(_hangfire + "JobFetchChannel");
        await _redis.GetSubscriber().SubscribeAsync(channel, (_, id) => announced.TrySetResult(id.ToString()));

        await _store.CreateEnqueuedAsync(ours, job, EnqueueGuard.None, None);

        Assert.That(await announced.Task.WaitAsync(TimeSpan.FromSeconds(10)), Is.EqualTo(ours.JobId), "Hangfire's waiting servers are woken");
        await _redis.GetSubscriber().UnsubscribeAsync(channel);
        using var connection = _storage.GetConnection();
        using var fetched = connection.FetchNextJob(["high"], new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        var data = connection.GetJobData(fetched.JobId);
        Assert.Multiple(() =>
        {
            Assert.That(fetched.JobId, Is.EqualTo(ours.JobId));
            Assert.That(data.LoadException, Is.Null);
            Assert.That(data.State, Is.EqualTo(EnqueuedState.StateName));
            Assert.That(data.Job.Method.Name, Is.EqualTo("DialAsync"));
            Assert.That(data.Job.Args, Is.EqualTo(new object[] { "call_ours" }));
            Assert.That(connection.GetStateData(ours.JobId).Data["Queue"], Is.EqualTo("high"));
        });
    }

    [Test]
    public async Task CreateEnqueuedAsync_CallIdTaken_WritesNeitherCallNorJob()
    {
        var (first, firstJob) = WithNewJob(NewCall("call_a"));
        await _store.CreateEnqueuedAsync(first, firstJob, EnqueueGuard.None, None);
        var (again, againJob) = WithNewJob(NewCall("call_a") with { PhoneNumber = "+14155550123" });

        var created = await _store.CreateEnqueuedAsync(again, againJob, EnqueueGuard.None, None);

        var db = _redis.GetDatabase();
        Assert.Multiple(async () =>
        {
            Assert.That(created.Created, Is.EqualTo(new CreateCallResult("call_a", Created: false)));
            Assert.That((await _store.GetAsync("call_a", None))!.JobId, Is.EqualTo(first.JobId));
            Assert.That(await db.KeyExistsAsync(_hangfire + "job:" + again.JobId), Is.False);
            Assert.That(await db.ListLengthAsync(_hangfire + "queue:normal"), Is.EqualTo(1));
        });
    }

    [Test]
    public void CreateEnqueuedAsync_StoreWithoutHangfiresPrefix_Refuses()
    {
        var store = new RedisCallStore(_redis, SharedRedis.NewKeyPrefix(), TimeProvider.System);

        Assert.That(store.CanEnqueue, Is.False);
        var (call, job) = WithNewJob(NewCall("call_a"));
        Assert.That(async () => await store.CreateEnqueuedAsync(call, job, EnqueueGuard.None, None), Throws.InvalidOperationException);
    }

    [Test]
    public async Task CreateEnqueuedAsync_AGuardFieldExists_WritesNeitherCallNorJob()
    {
        var db = _redis.GetDatabase();
        var hash = (RedisKey)(_hangfire + "guarded");
        await db.HashSetAsync(hash, "present", "x");
        var (call, job) = WithNewJob(NewCall("call_a"));

        var result = await _store.CreateEnqueuedAsync(call, job, new EnqueueGuard([(hash, "absent"), (hash, "present")], [_hangfire + "queue:normal"]), None);

        Assert.Multiple(async () =>
        {
            Assert.That(result.Stopped, Is.True);
            Assert.That(await _store.GetAsync("call_a", None), Is.Null, "no call");
            Assert.That(await db.KeyExistsAsync(_hangfire + "job:" + call.JobId), Is.False, "no job");
            Assert.That(await db.ListLengthAsync(_hangfire + "queue:normal"), Is.Zero, "nothing queued");
        });
    }

    [Test]
    public async Task CreateEnqueuedAsync_GuardFieldsAbsent_WritesAndCountsTheListsBeforeItsOwnJob()
    {
        var db = _redis.GetDatabase();
        await db.ListLeftPushAsync(_hangfire + "queue:high", ["job1", "job2"]);
        await db.ListLeftPushAsync(_hangfire + "queue:normal", "job3");
        var (call, job) = WithNewJob(NewCall("call_a"));
        var guard = new EnqueueGuard([(_hangfire + "guarded", "absent")], [_hangfire + "queue:high", _hangfire + "queue:normal", _hangfire + "queue:low"]);

        var result = await _store.CreateEnqueuedAsync(call, job, guard, None);

        Assert.Multiple(async () =>
        {
            Assert.That(result.Created, Is.EqualTo(new CreateCallResult("call_a", Created: true)));
            Assert.That(result.Lengths, Is.EqualTo(new long[] { 2, 1, 0 }), "read before the call's own job was pushed");
            Assert.That(await db.ListLengthAsync(_hangfire + "queue:normal"), Is.EqualTo(2));
            Assert.That((await _store.GetAsync("call_a", None))!.JobId, Is.EqualTo(call.JobId));
        });
    }

    private static (CallRecord Call, EnqueuedJobWrite Job) WithNewJob(CallRecord call)
    {
        var job = InlineDialJob.For(call);
        return (call with { JobId = job.Id }, job);
    }

    private static CallRecord NewCall(string callId) => new()
    {
        CallId = callId,
        PhoneNumber = "+919123456789",
        CampaignId = "campaign-1",
        Config = new CallConfig { AnswerUrl = "https://a.example/answer" },
        CreatedAt = DateTimeOffset.UtcNow,
        UpdatedAt = DateTimeOffset.UtcNow,
    };

    // A job's fields with its instants and its call id replaced by placeholders: what must be equal between two jobs. (Their
    // format is Hangfire's global configuration's, the service's or another test's: the two jobs share it.)
    private static List<string> Normalised(HashEntry[] fields, string callId) =>
        fields.Select(field => field.Name + "=" + field.Name.ToString() switch
            {
                "CreatedAt" or "EnqueuedAt" => "<time>",
                _ => field.Value.ToString().Replace(callId, "<call>", StringComparison.Ordinal),
            })
            .Order(StringComparer.Ordinal)
            .ToList();

    // A history entry with its instants replaced, its fields kept in order.
    private static string Normalised(string entry) =>
        string.Join(",", JsonDocument.Parse(entry).RootElement.EnumerateObject().Select(property =>
            property.Name + "=" + (property.Name is "CreatedAt" or "EnqueuedAt" ? "<time>" : property.Value.ToString())));
}
