using CallQueue.Jobs.Dialing;
using static CallQueue.Tests.Support.JobsInProcess;

namespace CallQueue.Tests.Dialing;

/// <summary>
/// <see cref="DialCallJob.DialAsync"/>, the signature dial jobs are created with (issue 15): it takes its job and
/// cancellation from the run (CurrentJob), as ExecuteAsync takes them from its arguments. That a real Hangfire server
/// makes the run current is proven by <c>CallQueue.Tests.Operations.CurrentJobTests</c> and
/// <see cref="DialJobSignatureTests"/>.
/// </summary>
public sealed partial class DialCallJobTests
{
    [Test]
    public async Task DialAsync_PerformedAsAJob_DialsUnderThatJob()
    {
        await using var jobs = await StartAsync();
        await jobs.SeedAsync(Call());
        jobs.Plivo.AcceptsWith("req-1");

        await jobs.DialAsJobAsync();

        var call = await jobs.CallAsync();
        Assert.Multiple(() =>
        {
            Assert.That(jobs.Plivo.Requests, Has.Count.EqualTo(1));
            Assert.That(call.JobId, Is.EqualTo(DialJobId));
            Assert.That(call.LastAttempt!.JobId, Is.EqualTo(DialJobId), "the attempt names the job of the run");
            Assert.That(call.LastAttempt.RequestUuid, Is.EqualTo("req-1"));
        });
    }

    [Test]
    public async Task DialAsync_JobNoLongerOwnsTheCall_SendsNothing()
    {
        await using var jobs = await StartAsync();
        var seeded = Call();
        await jobs.SeedAsync(seeded);

        await jobs.DialAsJobAsync(jobId: "job-superseded");

        var call = await jobs.CallAsync();
        Assert.Multiple(() =>
        {
            Assert.That(jobs.Plivo.Requests, Is.Empty);
            Assert.That(call, Is.SameAs(seeded), "not written at all");
        });
    }

    [Test]
    public async Task DialAsync_ServerShuttingDown_SendsNothing()
    {
        await using var jobs = await StartAsync();
        await jobs.SeedAsync(Call());

        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), () => jobs.DialAsJobAsync(shuttingDown: true));

        var call = await jobs.CallAsync();
        var slots = await jobs.SlotsHeldAsync();
        Assert.Multiple(() =>
        {
            Assert.That(jobs.Plivo.Requests, Is.Empty);
            Assert.That(call.Attempts, Is.Empty);
            Assert.That(slots, Is.Zero);
        });
    }

    [Test]
    public async Task DialAsync_OutsideAHangfireRun_RefusesWithoutTouchingTheCall()
    {
        await using var jobs = await StartAsync();
        var seeded = Call();
        await jobs.SeedAsync(seeded);

        var refused = Assert.ThrowsAsync<InvalidOperationException>(() => jobs.Service<DialCallJob>().DialAsync(CallId))!;

        var call = await jobs.CallAsync();
        Assert.Multiple(() =>
        {
            Assert.That(refused.Message, Does.Contain("runs as a Hangfire job"));
            Assert.That(jobs.Plivo.Requests, Is.Empty);
            Assert.That(call, Is.SameAs(seeded), "not written at all");
        });
    }
}
