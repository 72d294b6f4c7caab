using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using CallQueue.Jobs.Operations;

namespace CallQueue.Api.Operations;

/// <summary>
/// Collects the <see cref="CallQueueMetrics"/> instruments for this app (its own MeterListener, disposed with the host)
/// and writes them in Prometheus' text format. Nothing static: several hosts in one process (tests) never read or break
/// each other's state, though the static instruments report to every listener.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    private static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, Instrument> _instruments = new();
    private readonly ConcurrentDictionary<(string Name, string Labels), double> _counters = new();
    private readonly ConcurrentDictionary<string, HistogramState> _histograms = new();

    public PrometheusExporter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == CallQueueMetrics.MeterName)
            {
                _instruments[instrument.Name] = instrument;
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Writes every counter and histogram; <paramref name="gauges"/> (name, help, samples) follow.</summary>
    public string Render(IEnumerable<Gauge> gauges)
    {
        ArgumentNullException.ThrowIfNull(gauges);
        var text = new StringBuilder();
        foreach (var instrument in _instruments.Values.OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            if (instrument is Histogram<double>)
            {
                WriteHistogram(text, instrument);
                continue;
            }

            Header(text, instrument.Name, instrument.Description, "counter");
            var samples = _counters.Where(pair => pair.Key.Name == instrument.Name).OrderBy(pair => pair.Key.Labels, StringComparer.Ordinal).ToList();
            if (samples.Count == 0)
            {
                text.Append(instrument.Name).Append(" 0\n");
            }

            foreach (var ((name, labels), value) in samples)
            {
                text.Append(name).Append(labels).Append(' ').Append(Format(value)).Append('\n');
            }
        }

        foreach (var gauge in gauges)
        {
            Header(text, gauge.Name, gauge.Help, "gauge");
            foreach (var (labels, value) in gauge.Samples)
            {
                text.Append(gauge.Name).Append(labels).Append(' ').Append(Format(value)).Append('\n');
            }
        }

        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>A Prometheus label set, e.g. <c>{priority="high"}</c>.</summary>
    public static string Labels(string name, string value) => $"{{{name}=\"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"}}";

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (instrument is Histogram<double>)
        {
            _histograms.GetOrAdd(instrument.Name, _ => new HistogramState()).Observe(value);
            return;
        }

        var labels = tags.Length == 0 ? string.Empty : Labels(tags[0].Key, Convert.ToString(tags[0].Value, CultureInfo.InvariantCulture) ?? string.Empty);
        _counters.AddOrUpdate((instrument.Name, labels), value, (_, current) => current + value);
    }

    private void WriteHistogram(StringBuilder text, Instrument instrument)
    {
        Header(text, instrument.Name, instrument.Description, "histogram");
        var state = _histograms.GetValueOrDefault(instrument.Name) ?? new HistogramState();
        var (counts, sum, count) = state.Snapshot();
        for (var i = 0; i < Buckets.Length; i++)
        {
            text.Append(instrument.Name).Append("_bucket{le=\"").Append(Format(Buckets[i])).Append("\"} ").Append(counts[i]).Append('\n');
        }

        text.Append(instrument.Name).Append("_bucket{le=\"+Inf\"} ").Append(count).Append('\n');
        text.Append(instrument.Name).Append("_sum ").Append(Format(sum)).Append('\n');
        text.Append(instrument.Name).Append("_count ").Append(count).Append('\n');
    }

    private static void Header(StringBuilder text, string name, string? help, string type)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help ?? name).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>One gauge read at scrape time: its samples as (labels, value).</summary>
    public sealed record Gauge(string Name, string Help, IReadOnlyList<(string Labels, double Value)> Samples);

    private sealed class HistogramState
    {
        private readonly Lock _lock = new();
        private readonly long[] _counts = new long[Buckets.Length];
        private double _sum;
        private long _count;

        public void Observe(double value)
        {
            lock (_lock)
            {
                for (var i = 0; i < Buckets.Length; i++)
                {
                    if (value <= Buckets[i])
                    {
                        _counts[i]++;
                    }
                }

                _sum += value;
                _count++;
            }
        }

        public (long[] Counts, double Sum, long Count) Snapshot()
        {
            lock (_lock)
            {
                return ((long[])_counts.Clone(), _sum, _count);
            }
        }
    }
}
