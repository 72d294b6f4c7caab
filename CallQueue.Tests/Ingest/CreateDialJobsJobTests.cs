using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Configuration;
using CallQueue.Jobs.Ingest;
using CallQueue.Jobs.Queues;
using CallQueue.Jobs.Storage;
using CallQueue.Tests.Support;
using Hangfire;
using Hangfire.Common;
using Hangfire.InMemory;
using Hangfire.Logging;
using Hangfire.Server;
using Hangfire.States;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CallQueue.Tests.Ingest;

/// <summary>
/// The sweep for calls stored without a dial job (<see cref="CreateDialJobsJob.SweepAsync"/>): it gives them one, except
/// the calls of a batch whose own ingest job is waiting or running on a live server (issue 15: sweeping those too made a
/// second dial job for ~1 % of a million-call ingest).
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class CreateDialJobsJobTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 2, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(Now);
    private RecordingBackgroundJobClient _jobs = null!;
    private InMemoryCallStore _store = null!;
    private InMemoryStorage _hangfire = null!;
    private CreateDialJobsJob _job = null!;

    [SetUp]
    public void CreateJob()
    {
        _jobs = new RecordingBackgroundJobClient();
        _store = new InMemoryCallStore(_clock);
        LogProvider.SetCurrentLogProvider(new HangfireContexts.SilentLogProvider()); // as HangfireContexts: not a disposed host's logger factory
        _hangfire = new InMemoryStorage(new InMemoryStorageOptions());
        _job = new CreateDialJobsJob(
            _store, new DialJobFactory(_jobs, _store, _clock), _hangfire, Options.Create(new QueueOptions()), NullLogger<CreateDialJobsJob>.Instance);
    }

    [TearDown]
    public void DisposeStorage() => _hangfire.Dispose();

    [Test]
    public async Task SweepAsync_CallsStoredLongerThanSweepAgeWithoutAJob_GetOne()
    {
        await StoreAsync(NewCall("single"), NewCall("in-batch") with { BatchId = "batch-1" });
        _clock.Advance(CreateDialJobsJob.SweepAge - TimeSpan.FromSeconds(1));
        await _job.SweepAsync(CancellationToken.None);
        Assert.That(_jobs.Created, Is.Empty, "younger than the sweep's age: the request's own job creation may still be on it");

        _clock.Advance(TimeSpan.FromSeconds(1));
        await _job.SweepAsync(CancellationToken.None);

        Assert.That(DialedCallIds(), Is.EquivalentTo(new[] { "single", "in-batch" }));
    }

    [Test]
    public async Task SweepAsync_BatchIngestRunningOnALiveServer_LeavesThatBatchsCallsToIt()
    {
        AnnounceServer("server-1");
        CreateIngestJob("batch-1", new Processing("server-1"));
        await StoreAsync(NewCall("a") with { BatchId = "batch-1" }, NewCall("b") with { BatchId = "batch-2" }, NewCall("single"));
        _clock.Advance(CreateDialJobsJob.SweepAge);

        await _job.SweepAsync(CancellationToken.None);

        Assert.That(DialedCallIds(), Is.EquivalentTo(new[] { "b", "single" }));
    }

    [Test]
    public async Task SweepAsync_BatchIngestWaitingInTheInternalQueue_LeavesThatBatchsCallsToIt()
    {
        CreateIngestJob("batch-1", new EnqueuedState(HangfireQueues.InternalQueue));
        await StoreAsync(NewCall("a") with { BatchId = "batch-1" }, NewCall("b") with { BatchId = "batch-2" });
        _clock.Advance(CreateDialJobsJob.SweepAge);

        await _job.SweepAsync(CancellationToken.None);

        Assert.That(DialedCallIds(), Is.EqualTo(new[] { "b" }));
    }

    [Test]
    public async Task SweepAsync_BatchIngestOfAServerThatIsGone_SweepsThatBatchsCalls()
    {
        CreateIngestJob("batch-1", new Processing("server-that-crashed"));
        await StoreAsync(NewCall("a") with { BatchId = "batch-1" });
        _clock.Advance(CreateDialJobsJob.SweepAge);

        await _job.SweepAsync(CancellationToken.None);

        Assert.That(DialedCallIds(), Is.EqualTo(new[] { "a" }), "no heartbeat: its ingest will not finish, the sweep is the way on");
    }

    private static CallRecord NewCall(string callId) => new()
    {
        CallId = callId,
        PhoneNumber = "+919123456789",
        CampaignId = "c",
        Config = new CallConfig { AnswerUrl = "https://a.example/answer" },
        CreatedAt = Now,
        UpdatedAt = Now,
    };

    private async Task StoreAsync(params CallRecord[] calls) => await _store.CreateAsync(calls, CancellationToken.None);

    private List<string> DialedCallIds() => _jobs.Created.Select(created => (string)created.Job.Args[0]).ToList();

    private void AnnounceServer(string serverId)
    {
        using var connection = _hangfire.GetConnection();
        connection.AnnounceServer(serverId, new ServerContext { Queues = [HangfireQueues.InternalQueue], WorkerCount = 1 });
    }

    private void CreateIngestJob(string batchId, IState state) =>
        new BackgroundJobClient(_hangfire).Create(Job.FromExpression<CreateDialJobsJob>(job => job.ForBatchAsync(batchId, CancellationToken.None)), state);

    /// <summary>The Processing state as a worker sets it (Hangfire's own constructor is internal).</summary>
    private sealed class Processing(string serverId) : IState
    {
        public string Name => ProcessingState.StateName;

        public string? Reason => null;

        public bool IsFinal => false;

        public bool IgnoreJobLoadException => false;

        public Dictionary<string, string> SerializeData() => new(StringComparer.Ordinal)
        {
            ["StartedAt"] = JobHelper.SerializeDateTime(DateTime.UtcNow),
            ["ServerId"] = serverId,
            ["WorkerId"] = "worker-1",
        };
    }
}
