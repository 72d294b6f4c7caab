using System.ComponentModel.DataAnnotations;

namespace CallQueue.Api.Security;

/// <summary>How many wrong credentials one address may present before it is refused for a while.</summary>
public sealed class AuthenticationFailureOptions
{
    public const int DefaultFailuresPerMinute = 10;

    /// <summary>
    /// AUTH_FAILURES_PER_MINUTE: wrong API keys or dashboard passwords one client address may present per minute (a
    /// fixed one-minute window); past that, every request of that address to /api or /hangfire answers 429 with
    /// Retry-After until the window ends, even with the right key. Missing credentials do not count. Default 10.
    /// </summary>
    [ConfigurationKeyName("AUTH_FAILURES_PER_MINUTE")]
    [Range(1, 100_000)]
    public int FailuresPerMinute { get; set; } = DefaultFailuresPerMinute;
}
