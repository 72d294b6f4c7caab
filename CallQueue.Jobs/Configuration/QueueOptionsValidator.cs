using Microsoft.Extensions.Options;

namespace CallQueue.Jobs.Configuration;

internal sealed class QueueOptionsValidator : IValidateOptions<QueueOptions>
{
    public ValidateOptionsResult Validate(string? name, QueueOptions options)
    {
        var failures = new List<string>();
        OptionsErrors.Range(failures, "QUEUE_WORKERS", options.Workers, 0, 500);
        OptionsErrors.Range(failures, "MAX_CONCURRENT_CALLS", options.MaxConcurrentCalls, 1, 100_000);
        OptionsErrors.Range(failures, "RATE_LIMIT_PER_SECOND", options.RateLimitPerSecond, 0.1, 1_000);
        OptionsErrors.Range(failures, "RETRY_DELAY_SECONDS", options.RetryDelaySeconds, 1, 86_400);
        OptionsErrors.Range(failures, "PROVIDER_RETRY_DELAY_SECONDS", options.ProviderRetryDelaySeconds, 1, 3_600);
        OptionsErrors.Range(failures, "SCHEDULE_POLLING_SECONDS", options.SchedulePollingSeconds, 1, 60);
        OptionsErrors.Range(failures, "INGEST_WORKERS", options.IngestWorkers, 1, 64);
        OptionsErrors.Range(failures, "SLOT_WAIT_SECONDS", options.SlotWaitSeconds, 1, 600);
        OptionsErrors.Range(failures, "AGENT_WAIT_SECONDS", options.AgentWaitSeconds, 1, 600);
        OptionsErrors.Range(failures, "DEFAULT_MAX_DURATION_SECONDS", options.DefaultMaxDurationSeconds, 1, 86_400);
        OptionsErrors.Range(failures, "RECONCILE_GRACE_SECONDS", options.ReconcileGraceSeconds, 1, 3_600);
        OptionsErrors.Range(failures, "HANGFIRE_SERVER_TIMEOUT_SECONDS", options.ServerTimeoutSeconds, 10, 3_600);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
