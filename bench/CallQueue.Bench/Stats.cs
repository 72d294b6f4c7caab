namespace CallQueue.Bench;

/// <summary>Percentiles (linear interpolation, as bench/dispatch.py) and medians.</summary>
internal static class Stats
{
    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var ordered = values.Order().ToArray();
        var k = (ordered.Length - 1) * p / 100;
        var low = (int)k;
        var high = Math.Min(low + 1, ordered.Length - 1);
        return ordered[low] + ((ordered[high] - ordered[low]) * (k - low));
    }

    public static double Median(IReadOnlyCollection<double> values) => Percentile(values, 50);
}
