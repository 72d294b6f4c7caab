using Microsoft.Extensions.Configuration;

namespace CallQueue.Jobs.Configuration;

/// <summary>Dialing capacity and retry defaults (DESIGN.md §3–4).</summary>
public sealed class QueueOptions
{
    public const int DefaultWorkers = 10;
    public const int DefaultMaxConcurrentCalls = 100;
    public const int DefaultRateLimitPerSecond = 10;
    public const int DefaultRetryDelaySeconds = 300;
    public const int DefaultMaxRetries = 3;

    /// <summary>QUEUE_WORKERS: Hangfire workers of the dial server in this process. Default 10; 0 = this process dials nothing (API-only replica).</summary>
    [ConfigurationKeyName("QUEUE_WORKERS")]
    public int Workers { get; set; } = DefaultWorkers;

    /// <summary>MAX_CONCURRENT_CALLS: calls in dialing/ringing/in_progress across the cluster. Default 100.</summary>
    [ConfigurationKeyName("MAX_CONCURRENT_CALLS")]
    public int MaxConcurrentCalls { get; set; } = DefaultMaxConcurrentCalls;

    /// <summary>RATE_LIMIT_PER_SECOND: Plivo create-call requests per second across the cluster. Default 10.</summary>
    [ConfigurationKeyName("RATE_LIMIT_PER_SECOND")]
    public double RateLimitPerSecond { get; set; } = DefaultRateLimitPerSecond;

    /// <summary>RETRY_DELAY_SECONDS: wait before the first retry of an unanswered call, doubling per attempt. Default 300 s.</summary>
    [ConfigurationKeyName("RETRY_DELAY_SECONDS")]
    public int RetryDelaySeconds { get; set; } = DefaultRetryDelaySeconds;

    /// <summary>PROVIDER_RETRY_DELAY_SECONDS: wait before retrying after a Plivo 429/5xx or a connection failure, doubling per attempt. Default 30 s.</summary>
    [ConfigurationKeyName("PROVIDER_RETRY_DELAY_SECONDS")]
    public int ProviderRetryDelaySeconds { get; set; } = 30;

    /// <summary>SCHEDULE_POLLING_SECONDS: how often scheduled calls and retries are moved to their queue. Default 5 s.</summary>
    [ConfigurationKeyName("SCHEDULE_POLLING_SECONDS")]
    public int SchedulePollingSeconds { get; set; } = 5;

    /// <summary>INGEST_WORKERS: parallel writers creating the dial jobs of an accepted batch. Default 4.</summary>
    [ConfigurationKeyName("INGEST_WORKERS")]
    public int IngestWorkers { get; set; } = 4;

    /// <summary>
    /// RECONCILE_GRACE_SECONDS: how long after its ring timeout a call without a hangup callback is looked up at Plivo
    /// by the reconciler (every minute). Default 60 s.
    /// </summary>
    [ConfigurationKeyName("RECONCILE_GRACE_SECONDS")]
    public int ReconcileGraceSeconds { get; set; } = 60;

    /// <summary>HANGFIRE_SERVER_TIMEOUT_SECONDS: after this long without a heartbeat a process counts as dead and its jobs run elsewhere. Default 60 s.</summary>
    [ConfigurationKeyName("HANGFIRE_SERVER_TIMEOUT_SECONDS")]
    public int ServerTimeoutSeconds { get; set; } = 60;

    /// <summary>SLOT_WAIT_SECONDS: how long a dial worker waits for a free call slot before the call rejoins its queue. Default 30 s.</summary>
    [ConfigurationKeyName("SLOT_WAIT_SECONDS")]
    public int SlotWaitSeconds { get; set; } = 30;

    /// <summary>AGENT_WAIT_SECONDS: how long a dial worker waits for the agent server to recover before the call rejoins its queue. Default 30 s.</summary>
    [ConfigurationKeyName("AGENT_WAIT_SECONDS")]
    public int AgentWaitSeconds { get; set; } = 30;

    /// <summary>
    /// DEFAULT_MAX_DURATION_SECONDS: Plivo time_limit for calls without call_config.max_duration, and with the ring timeout
    /// the longest a call slot is leased before it is reclaimed even if no callback or record ever comes. Default 3600 s.
    /// </summary>
    [ConfigurationKeyName("DEFAULT_MAX_DURATION_SECONDS")]
    public int DefaultMaxDurationSeconds { get; set; } = 3_600;
}
