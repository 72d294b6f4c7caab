using CallQueue.Jobs.Operations;
using CallQueue.Tests.Support;
using Hangfire;

namespace CallQueue.Tests.Operations;

/// <summary>
/// <see cref="CurrentJob"/> on a real Hangfire server (the app on redis-server, the filters of CallQueueJobFilterProvider):
/// the AsyncLocal that CurrentJobFilter sets in OnPerforming reaches the job method, before and after its awaits, and a
/// worker's next job sees its own run, never the one before. DialCallJob.DialAsync depends on it for its job id, which
/// guards a call against being dialed by a superseded job.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class CurrentJobTests
{
    [Test]
    public async Task CurrentJob_JobsOnOneWorker_EachSeesItsOwnRunThroughItsAwaits()
    {
        // One dial worker, so the runs follow each other on the same thread.
        await using var app = CallQueueApp.WithRedis(new Dictionary<string, string?> { ["QUEUE_WORKERS"] = "1" });
        var client = app.Service<IBackgroundJobClient>();
        var probes = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid().ToString("N")).ToList();
        var reports = probes.Select(CurrentJobProbe.ReportAsync).ToList();

        var jobIds = probes.Select(probeId => client.Enqueue("normal", () => CurrentJobProbe.RunAsync(probeId, CancellationToken.None))).ToList();
        var seen = await Task.WhenAll(reports).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Multiple(() =>
        {
            for (var i = 0; i < probes.Count; i++)
            {
                Assert.That(seen[i].Before, Is.EqualTo(jobIds[i]), $"probe {i}: before its first await");
                Assert.That(seen[i].AfterYield, Is.EqualTo(jobIds[i]), $"probe {i}: resumed on the worker");
                Assert.That(seen[i].OnThreadPool, Is.EqualTo(jobIds[i]), $"probe {i}: resumed on the thread pool");
                Assert.That(seen[i].ShutdownTokenPassed, Is.True, $"probe {i}: the run's shutdown token is the CancellationToken Hangfire passes");
            }

            Assert.That(CurrentJob.Context, Is.Null, "outside a run");
        });
    }
}
