namespace CallQueue.Jobs.Throttling;

/// <summary>
/// The dial rate the cluster-wide limiter actually grants: <c>RATE_LIMIT_PER_SECOND</c> stretched by
/// <see cref="SafetyFactor"/> (the GCRA slack <see cref="RateSchedule"/> explains), so at most 1/1.06 ≈ 94 % of the
/// configured rate. Public for the API's estimates (queue_position and estimated_execution).
/// </summary>
public static class DialRate
{
    /// <summary>T' = T × 1.06: 60 ms of slack per second of grants (see <see cref="RateSchedule"/>).</summary>
    public const double SafetyFactor = 1.06;

    /// <summary>Create-call requests per second the limiter grants at most for a configured <paramref name="perSecond"/>.</summary>
    public static double EffectivePerSecond(double perSecond) => perSecond / SafetyFactor;
}
