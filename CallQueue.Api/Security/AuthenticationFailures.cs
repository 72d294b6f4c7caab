using System.Threading.RateLimiting;
using CallQueue.Jobs.Operations;
using Microsoft.Extensions.Options;

namespace CallQueue.Api.Security;

/// <summary>
/// What both authentication handlers do with a refusal: count it in /metrics
/// (<c>callqueue_authentication_failures_total{scheme,reason}</c>), and limit wrong credentials per client address
/// with the framework's rate limiter (System.Threading.RateLimiting, one fixed window per address, idle windows
/// dropped by the limiter). ASP.NET Core's rate-limiting middleware is not used here: it counts requests, and only
/// failures must count. The address is the connection's: behind a proxy every client shares the proxy's address.
/// </summary>
internal sealed class AuthenticationFailures : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly PartitionedRateLimiter<string> _limiter;

    public AuthenticationFailures(IOptions<AuthenticationFailureOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var limit = options.Value.FailuresPerMinute;
        _limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(
            address,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = Window, QueueLimit = 0, AutoReplenishment = true }));
    }

    /// <summary>How long a refused address waits before the next try is looked at.</summary>
    public static TimeSpan RetryAfter => Window;

    public static string Address(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    }

    /// <summary>Whether <paramref name="address"/> has used up its wrong tries for this window (asking takes none).</summary>
    public bool IsLimited(string address)
    {
        using var lease = _limiter.AttemptAcquire(address, permitCount: 0);
        return !lease.IsAcquired;
    }

    /// <summary>One wrong credential presented by <paramref name="address"/>.</summary>
    public void RecordWrongCredentials(string address)
    {
        using var lease = _limiter.AttemptAcquire(address);
    }

    /// <summary>Counts a refused request in /metrics.</summary>
    public static void Count(string scheme, string reason) =>
        CallQueueMetrics.AuthenticationFailures.Add(
            1,
            new KeyValuePair<string, object?>(CallQueueMetrics.SchemeTag, scheme),
            new KeyValuePair<string, object?>(CallQueueMetrics.ReasonTag, reason));

    public void Dispose() => _limiter.Dispose();
}
