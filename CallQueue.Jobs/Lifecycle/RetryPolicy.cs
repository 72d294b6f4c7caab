using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Configuration;

namespace CallQueue.Jobs.Lifecycle;

/// <summary>
/// The one place that decides whether an attempt that ended without a conversation is tried again, and when
/// (DESIGN.md §3). Within the call's attempt budget (<see cref="CallRecord.AttemptBudget"/>):
/// <list type="bullet">
/// <item>a create-call request that placed no call (Plivo 429/5xx, connection failed before sending) waits
/// PROVIDER_RETRY_DELAY_SECONDS, doubled per attempt made, at most <see cref="MaxProviderDelay"/>: the provider recovers
/// in minutes or needs a person;</item>
/// <item>a placed call that was not answered (busy, no answer, machine, network error on the way) waits the call's
/// retry_delay_seconds or RETRY_DELAY_SECONDS, doubled per attempt made, at most <see cref="MaxCallDelay"/>: people are
/// called again later in the day, not days later;</item>
/// <item>answered, cancelled, unknown and never-retryable outcomes (invalid number, rejected) are never retried.</item>
/// </list>
/// Anything unexpected inside the dial job (a Redis hiccup) is Hangfire's AutomaticRetry, at most
/// <see cref="UnexpectedFailureRetries"/> times; the attempt claim keeps those re-runs from ringing anyone twice.
/// </summary>
public sealed class RetryPolicy(TimeSpan callRetryDelay, TimeSpan providerRetryDelay)
{
    /// <summary>Hangfire's own retries of a dial job that threw something unexpected (AutomaticRetry's Attempts).</summary>
    public const int UnexpectedFailureRetries = 10;

    public static readonly TimeSpan MaxCallDelay = TimeSpan.FromHours(6);

    public static readonly TimeSpan MaxProviderDelay = TimeSpan.FromHours(1);

    public static RetryPolicy From(QueueOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new RetryPolicy(TimeSpan.FromSeconds(options.RetryDelaySeconds), TimeSpan.FromSeconds(options.ProviderRetryDelaySeconds));
    }

    /// <summary>
    /// How long to wait before the next attempt after attempt <paramref name="attemptNumber"/> ended with
    /// <paramref name="outcome"/>, or null when the call is not tried again. <paramref name="requestFailed"/>: the
    /// create-call request itself failed, so no call was placed.
    /// </summary>
    public TimeSpan? RetryIn(CallRecord call, int attemptNumber, CallOutcome outcome, bool retryable, bool requestFailed)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (!retryable || outcome is CallOutcome.Answered or CallOutcome.Cancelled or CallOutcome.Unknown || attemptNumber >= call.AttemptBudget)
        {
            return null;
        }

        return requestFailed
            ? RetryDelay.Exponential(providerRetryDelay, attemptNumber, MaxProviderDelay)
            : RetryDelay.Exponential(call.Config.RetryDelaySeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : callRetryDelay, attemptNumber, MaxCallDelay);
    }
}
