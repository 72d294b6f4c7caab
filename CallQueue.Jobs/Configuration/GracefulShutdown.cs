namespace CallQueue.Jobs.Configuration;

/// <summary>
/// Shutdown on SIGTERM (DESIGN.md §9). Hangfire stops fetching at once and cancels the jobs' token: a call still waiting
/// at a gate gives its claim and slot back and returns to its queue, while a create-call request already sent is finished
/// (it runs with CancellationToken.None, and so does recording Plivo's answer). These timeouts bound how long that may take.
/// Fixed, not settings; they live with the options because PLIVO_TIMEOUT_SECONDS is validated against them.
/// </summary>
public static class GracefulShutdown
{
    /// <summary>
    /// Hangfire's BackgroundJobServerOptions.ShutdownTimeout (its default is 15 s): longer than a create-call request
    /// may take (PLIVO_TIMEOUT_SECONDS, default 10 s) plus recording the answer.
    /// </summary>
    public static TimeSpan HangfireShutdownTimeout { get; } = TimeSpan.FromSeconds(25);

    /// <summary>
    /// HostOptions.ShutdownTimeout (default 30 s): Hangfire's, plus the rest of the host (HTTP requests, the log file).
    /// A container's grace period (docker stop_grace_period, Kubernetes terminationGracePeriodSeconds) should be longer.
    /// </summary>
    public static TimeSpan HostShutdownTimeout { get; } = TimeSpan.FromSeconds(30);
}
