using System.Globalization;

namespace CallQueue.Bench;

/// <summary>What one load phase achieved: completed operations per second and their latencies (ms).</summary>
internal sealed record LoadResult(int Completed, int Errors, double Seconds, IReadOnlyCollection<double> LatenciesMs)
{
    public double Throughput => Completed / Seconds;

    public double P50 => Stats.Percentile(LatenciesMs, 50);

    public double P99 => Stats.Percentile(LatenciesMs, 99);

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Throughput,7:F0}/s  p50 {P50,6:F2} ms  p99 {P99,7:F2} ms{(Errors > 0 ? $"  ERRORS {Errors}" : string.Empty)}");
}
