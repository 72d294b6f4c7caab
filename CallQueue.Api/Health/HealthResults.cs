using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CallQueue.Api.Health;

/// <summary>
/// How the checks carry the two extra fields of /api/health's JSON in a <see cref="HealthCheckResult"/>: a latency and
/// a warning (a development default worth announcing), as entries of its data.
/// </summary>
internal static class HealthResults
{
    public const string LatencyMs = "latency_ms";
    public const string Warning = "warning";

    public static HealthCheckResult Healthy(string detail, double? latencyMs = null, string? warning = null) =>
        HealthCheckResult.Healthy(detail, Data(latencyMs, warning));

    public static HealthCheckResult Degraded(string detail) => HealthCheckResult.Degraded(detail);

    public static HealthCheckResult Unhealthy(string detail) => HealthCheckResult.Unhealthy(detail);

    private static Dictionary<string, object> Data(double? latencyMs, string? warning)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        if (latencyMs is { } latency)
        {
            data[LatencyMs] = Math.Round(latency, 2);
        }

        if (warning is not null)
        {
            data[Warning] = warning;
        }

        return data;
    }
}
