namespace CallQueue.Jobs.Throttling;

/// <summary>
/// The GCRA spacing both implementations of <see cref="ICallCapacity.TryTakeRateTokenAsync"/> use (times in µs).
/// <para>
/// A grant happens only at or after the theoretical arrival time TAT (no burst allowance: τ = 0), and moves it to
/// <c>max(TAT + T', now + T' − L)</c>. T' is the emission interval 1/perSecond stretched by <see cref="SafetyFactor"/>; L
/// (<see cref="LatenessMicroseconds"/>) lets a request that arrives a few ms after its TAT keep the schedule instead of
/// pushing every later grant back by its lateness. A sleeping caller always wakes late: .NET timers run on
/// Environment.TickCount64, which on Linux steps every 4 ms (CLOCK_MONOTONIC_COARSE at HZ=250); measured here, Task.Delay
/// overshoots by 0.4 ms at the median, 3.3 ms at p75 and 4.7 ms at p90. Without L the achieved rate at 50/s is ~94%.
/// </para>
/// <para>
/// Why this holds the cap: each grant g_k ≥ TAT_k, each TAT moves forward by ≥ T', and TAT_1 ≥ g_0 + T' − L; so any
/// perSecond + 1 consecutive grants span at least perSecond × T' − L = 1.06 s − L = 1.055 s on Redis' clock. The promise
/// is kept where Plivo sees it, not only in Redis: a request leaves at most the dial job's <c>DialGates.SendDeadline</c> (20 ms)
/// after its grant or takes a new one, and the remaining 35 ms absorb the network and the receiving side's own jitter.
/// Measured at a sandbox sharing two busy cores with three dialers, 17 ms of slack (the first choice) was not enough: six
/// arrivals spanned as little as 937 ms there while the grants were right. The cost: the achieved rate is at most
/// 1/1.06 ≈ 94% of perSecond.
/// </para>
/// </summary>
internal static class RateSchedule
{
    /// <summary>T' = T × 1.06: 60 ms of slack per second of grants (see the class comment).</summary>
    public const double SafetyFactor = DialRate.SafetyFactor;

    /// <summary>The grants log keeps this long; <see cref="ICallCapacity.CountGrantsAsync"/> windows may not exceed it.</summary>
    public static readonly TimeSpan GrantsRetention = TimeSpan.FromSeconds(60);

    private const long MaxLatenessMicroseconds = 5_000;

    public static long GrantsRetentionMicroseconds => GrantsRetention.Ticks / TimeSpan.TicksPerMicrosecond;

    /// <summary>T' in µs, rounded up (never shorter than the safety factor allows).</summary>
    public static long IntervalMicroseconds(double perSecond)
    {
        if (!double.IsFinite(perSecond) || perSecond <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(perSecond), perSecond, "The rate must be a positive number of requests per second.");
        }

        return Math.Max(2, (long)Math.Ceiling(1_000_000 * SafetyFactor / perSecond));
    }

    /// <summary>L in µs: 5 ms, but at most half the interval, so two grants are never closer than T'/2.</summary>
    public static long LatenessMicroseconds(long intervalMicroseconds) => Math.Min(MaxLatenessMicroseconds, intervalMicroseconds / 2);

    /// <summary>A wait in µs as a TimeSpan rounded up to whole ms: timers fire in ms, and a truncated wait would wake
    /// the caller just before its time, only to be told to wait a few µs more.</summary>
    public static TimeSpan RetryAfter(long waitMicroseconds) =>
        waitMicroseconds <= 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Ceiling(waitMicroseconds / 1000.0));

    public static void ValidateWindow(TimeSpan window)
    {
        if (window <= TimeSpan.Zero || window > GrantsRetention)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, $"The window must be positive and at most {GrantsRetention.TotalSeconds} s (the grants log's retention).");
        }
    }
}
