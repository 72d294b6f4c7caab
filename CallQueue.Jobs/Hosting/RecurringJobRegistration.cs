using CallQueue.Jobs.Campaigns;
using CallQueue.Jobs.Ingest;
using CallQueue.Jobs.Lifecycle;
using CallQueue.Jobs.Queues;
using CallQueue.Jobs.Webhooks;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace CallQueue.Jobs.Hosting;

/// <summary>
/// Registers the recurring jobs on the internal queue: the sweep of calls stored without a dial job, and the
/// reconciler. Every process registers them (AddOrUpdate is idempotent), once the host has started
/// (<see cref="IHostedLifecycleService.StartedAsync"/> runs after every hosted service's StartAsync): so after the API's
/// start-up checks have reached Redis, and a Redis that is down at start stops the process there, with one line.
/// Should Redis go away in between, the start goes on and the registration is retried in the background until it
/// succeeds; meanwhile the jobs registered by earlier starts and by the other processes keep running from Redis.
/// </summary>
internal sealed partial class RecurringJobRegistration(
    IRecurringJobManager recurring, TimeProvider time, ILogger<RecurringJobRegistration> logger) : IHostedLifecycleService, IDisposable
{
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(15);

    private readonly CancellationTokenSource _stopping = new();
    private Task _retrying = Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (!TryRegister())
        {
            _retrying = RetryAsync(_stopping.Token);
        }

        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _retrying;
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Cancels, and does not dispose, like BackgroundService: the host may still call <see cref="StopAsync"/> after the
    /// container disposed this (WebApplicationFactory does). The token source holds no timer to release.
    /// </summary>
    public void Dispose() => _stopping.Cancel();

    /// <summary>Registers (or updates) the recurring jobs in <paramref name="manager"/>'s storage.</summary>
    private static void Register(IRecurringJobManager manager)
    {
        manager.AddOrUpdate<CreateDialJobsJob>(
            CreateDialJobsJob.SweepRecurringJobId, HangfireQueues.InternalQueue, job => job.SweepAsync(CancellationToken.None), Cron.Minutely());
        manager.AddOrUpdate<ReconcileCallsJob>(
            ReconcileCallsJob.RecurringJobId, HangfireQueues.InternalQueue, job => job.RunAsync(CancellationToken.None), Cron.Minutely());
        manager.AddOrUpdate<CampaignSweepJob>(
            CampaignSweepJob.RecurringJobId, HangfireQueues.InternalQueue, job => job.RunAsync(CancellationToken.None), Cron.Minutely());
        manager.AddOrUpdate<WebhookSweepJob>(
            WebhookSweepJob.RecurringJobId, HangfireQueues.InternalQueue, job => job.RunAsync(CancellationToken.None), Cron.Minutely());
    }

    private bool TryRegister()
    {
        try
        {
            Register(recurring);
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or DistributedLockTimeoutException)
        {
            LogNotRegistered(logger, ex.GetType().Name, ex.Message, RetryInterval.TotalSeconds);
            return false;
        }
    }

    private async Task RetryAsync(CancellationToken stopping)
    {
        try
        {
            do
            {
                await Task.Delay(RetryInterval, time, stopping);
            }
            while (!TryRegister());
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The host is stopping: the next start registers them.
        }
    }

    [LoggerMessage(4101, LogLevel.Warning, "Recurring jobs (sweep, reconciler) not registered: storage unavailable ({ExceptionType}: {Message}); retrying every {RetrySeconds} s")]
    private static partial void LogNotRegistered(ILogger logger, string exceptionType, string message, double retrySeconds);
}
