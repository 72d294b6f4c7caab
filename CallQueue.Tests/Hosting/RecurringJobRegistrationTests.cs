using CallQueue.Jobs.Hosting;
using CallQueue.Jobs.Queues;
using Hangfire;
using Hangfire.Common;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace CallQueue.Tests.Hosting;

/// <summary>The recurring jobs are registered once the host has started, and a storage failure then does not fail the start.</summary>
[TestFixture]
[Category("Unit")]
public sealed class RecurringJobRegistrationTests
{
    [Test]
    public async Task StartedAsync_StorageUp_RegistersTheSweepsAndTheReconcilerOnTheInternalQueue()
    {
        var manager = new FlakyRecurringJobManager(failures: 0);
        using var registration = new RecurringJobRegistration(manager, new FakeTimeProvider(), NullLogger<RecurringJobRegistration>.Instance);

        await registration.StartedAsync(CancellationToken.None);

        Assert.That(manager.Registered, Is.EqualTo(new[]
        {
            ("sweep-calls-awaiting-dial-job", HangfireQueues.InternalQueue),
            ("reconcile-calls", HangfireQueues.InternalQueue),
            ("campaign-sweep", HangfireQueues.InternalQueue),
            ("sweep-webhook-outbox", HangfireQueues.InternalQueue),
        }));
    }

    [Test]
    public async Task StartedAsync_StorageDown_DoesNotThrowAndRetriesUntilItIsBack()
    {
        var manager = new FlakyRecurringJobManager(failures: 1);
        var time = new FakeTimeProvider();
        using var registration = new RecurringJobRegistration(manager, time, NullLogger<RecurringJobRegistration>.Instance);

        await registration.StartedAsync(CancellationToken.None);
        Assert.That(manager.Registered, Is.Empty, "nothing registered while the storage is down");

        time.Advance(RecurringJobRegistration.RetryInterval);

        Assert.That(() => manager.Registered.Count, Is.EqualTo(4).After(5_000, 10), "registered on the retry");
        await registration.StopAsync(CancellationToken.None);
    }

    [Test]
    public async Task StopAsync_WhileRetrying_EndsTheRetries()
    {
        var manager = new FlakyRecurringJobManager(failures: int.MaxValue);
        using var registration = new RecurringJobRegistration(manager, new FakeTimeProvider(), NullLogger<RecurringJobRegistration>.Instance);
        await registration.StartedAsync(CancellationToken.None);

        var stop = registration.StopAsync(CancellationToken.None);

        Assert.That(stop.Wait(TimeSpan.FromSeconds(5)), Is.True, "stops without waiting for the next retry");
        await stop;
        Assert.That(manager.Attempts, Is.EqualTo(1));
    }

    [Test]
    public async Task StopAsync_AfterDispose_DoesNotThrow()
    {
        var registration = new RecurringJobRegistration(new FlakyRecurringJobManager(failures: 0), new FakeTimeProvider(), NullLogger<RecurringJobRegistration>.Instance);
        await registration.StartedAsync(CancellationToken.None);

        // WebApplicationFactory can dispose the container before it stops the host.
        registration.Dispose();

        Assert.DoesNotThrowAsync(() => registration.StopAsync(CancellationToken.None));
    }

    /// <summary>Fails its first <c>failures</c> registrations as a Redis that cannot be reached does, then records them.</summary>
    private sealed class FlakyRecurringJobManager(int failures) : IRecurringJobManager
    {
        private readonly List<(string Id, string Queue)> _registered = [];
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        public IReadOnlyList<(string Id, string Queue)> Registered
        {
            get
            {
                lock (_registered)
                {
                    return [.. _registered];
                }
            }
        }

        public void AddOrUpdate(string recurringJobId, Job job, string cronExpression, RecurringJobOptions options)
        {
            ArgumentNullException.ThrowIfNull(job);
            if (Interlocked.Increment(ref _attempts) <= failures)
            {
                throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "No connection is active/available to service this operation");
            }

            lock (_registered)
            {
                _registered.Add((recurringJobId, job.Queue ?? "default"));
            }
        }

        public void Trigger(string recurringJobId) => throw new NotSupportedException();

        public void RemoveIfExists(string recurringJobId) => throw new NotSupportedException();
    }
}
