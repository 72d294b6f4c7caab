using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Dialing;
using CallQueue.Jobs.Ingest;
using CallQueue.Jobs.Storage;
using CallQueue.Tests.Support;
using Hangfire.States;
using Microsoft.Extensions.Time.Testing;

namespace CallQueue.Tests.Ingest;

/// <summary>Which dial job <see cref="DialJobFactory"/> creates for a stored call: none, enqueued, or scheduled (and why).</summary>
[TestFixture]
[Category("Unit")]
public sealed class DialJobFactoryTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 2, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(Now);
    private RecordingBackgroundJobClient _jobs = null!;
    private InMemoryCallStore _store = null!;
    private DialJobFactory _factory = null!;

    [SetUp]
    public void CreateFactory()
    {
        _jobs = new RecordingBackgroundJobClient();
        _store = new InMemoryCallStore(_clock);
        _factory = new DialJobFactory(_jobs, _store, _clock);
    }

    [Test]
    public async Task CreateAsync_QueuedCall_EnqueuesItInItsPriorityQueueAndRecordsIt()
    {
        var call = await StoreAsync(NewCall() with { Priority = CallPriority.High });

        var jobId = await _factory.CreateAsync(call, CancellationToken.None);

        var created = _jobs.Created.Single();
        Assert.Multiple(async () =>
        {
            Assert.That(jobId, Is.EqualTo(created.Id));
            Assert.That(created.Job.Method.Name, Is.EqualTo(nameof(DialCallJob.DialAsync)), "the call id alone: a compact job hash (issue 15)");
            Assert.That(created.Job.Args, Is.EqualTo(new object[] { call.CallId }));
            Assert.That(created.State, Is.TypeOf<EnqueuedState>());
            Assert.That(((EnqueuedState)created.State).Queue, Is.EqualTo("high"));
            Assert.That((await _store.GetAsync(call.CallId, CancellationToken.None))!.JobId, Is.EqualTo(jobId));
        });
    }

    [TestCase(CallStatus.Blocked)]
    [TestCase(CallStatus.Expired)]
    [TestCase(CallStatus.Cancelled)]
    public async Task CreateAsync_EndedCall_CreatesNoJob(CallStatus status)
    {
        var call = await StoreAsync(NewCall() with { Status = status });

        var jobId = await _factory.CreateAsync(call, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(jobId, Is.Null);
            Assert.That(_jobs.Created, Is.Empty);
            Assert.That((await _store.GetAsync(call.CallId, CancellationToken.None))!.JobId, Is.Null);
        });
    }

    [Test]
    public async Task CreateAsync_HeldCall_SchedulesItOnceForTheEndOfItsHoldWithItsReason()
    {
        var opening = Now.AddHours(7);
        var call = await StoreAsync(NewCall() with
        {
            Status = CallStatus.Scheduled,
            StatusReason = "Outside calling hours in Asia/Kolkata (09:00–21:00): dials from 2026-12-07 09:00 +05:30",
            ScheduledAt = Now.AddHours(1),
            NextAttemptAt = opening,
            Hold = new CallHold(SafetyRule.CallingHours, opening),
        });

        await _factory.CreateAsync(call, CancellationToken.None);

        var state = (ScheduledState)_jobs.Created.Single().State;
        Assert.Multiple(() =>
        {
            Assert.That(state.EnqueueAt, Is.EqualTo(opening.UtcDateTime), "the hold's end, not scheduled_at");
            Assert.That(state.Reason, Is.EqualTo(call.StatusReason));
        });
    }

    [Test]
    public async Task CreateAsync_ScheduledAtInTheFuture_SchedulesItThen()
    {
        var call = await StoreAsync(NewCall() with { Status = CallStatus.Scheduled, ScheduledAt = Now.AddHours(2) });

        await _factory.CreateAsync(call, CancellationToken.None);

        var state = (ScheduledState)_jobs.Created.Single().State;
        Assert.Multiple(() =>
        {
            Assert.That(state.EnqueueAt, Is.EqualTo(Now.AddHours(2).UtcDateTime));
            Assert.That(state.Reason, Is.EqualTo("Waiting for its scheduled_at"));
        });
    }

    [Test]
    public async Task CreateAsync_HoldAlreadyOver_EnqueuesIt()
    {
        var call = await StoreAsync(NewCall() with { Status = CallStatus.Scheduled, NextAttemptAt = Now.AddMinutes(-1), Hold = new CallHold(SafetyRule.NumberGap, Now.AddMinutes(-1)) });

        await _factory.CreateAsync(call, CancellationToken.None);

        Assert.That(_jobs.Created.Single().State, Is.TypeOf<EnqueuedState>());
    }

    private static CallRecord NewCall() => new()
    {
        CallId = "call_" + Guid.NewGuid().ToString("N"),
        PhoneNumber = "+919123456789",
        CampaignId = "c",
        Config = new CallConfig { AnswerUrl = "https://a.example/answer" },
        CreatedAt = Now,
        UpdatedAt = Now,
    };

    private async Task<CallRecord> StoreAsync(CallRecord call)
    {
        await _store.CreateAsync([call], CancellationToken.None);
        return call;
    }
}
