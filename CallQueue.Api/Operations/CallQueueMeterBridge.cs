using System.Diagnostics.Metrics;
using System.Globalization;
using CallQueue.Jobs.Operations;
using Prometheus;

namespace CallQueue.Api.Operations;

/// <summary>
/// Publishes the <see cref="CallQueueMetrics"/> instruments (the <c>CallQueue</c> meter) in this app's prometheus-net
/// registry under their own names, as Prometheus counters and histograms with every tag as a label
/// (<see cref="CallQueueMetrics.TagNames"/>). prometheus-net's own meter adapter is not used for this meter: it prefixes
/// names with the meter's name (<c>callqueue_callqueue_calls_queued_total</c>), exports counters as gauges and drops
/// series idle for five minutes, which would break the names, types and meaning the README promises. prometheus-net
/// writes the text format, label escaping included. One listener per app: several apps in one process (tests) each
/// have their own registry, though the static instruments report to every listener.
/// </summary>
internal sealed class CallQueueMeterBridge : IDisposable
{
    /// <summary>Buckets of <c>callqueue_dial_latency_seconds</c>, unchanged from the hand-written exporter.</summary>
    private static readonly double[] LatencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly MeterListener _listener = new();
    private readonly MetricFactory _factory;

    public CallQueueMeterBridge(CollectorRegistry registry)
    {
        _factory = Metrics.WithCustomRegistry(registry);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == CallQueueMetrics.MeterName)
            {
                // Declared now, so a counter reads 0 (and its HELP/TYPE are there) before its first measurement.
                listener.EnableMeasurementEvents(instrument, Declare(instrument));
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => ((Family)state!).Observe(tags, value));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => ((Family)state!).Observe(tags, value));
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    private Family Declare(Instrument instrument)
    {
        var labels = CallQueueMetrics.TagNames(instrument).ToArray();
        var help = instrument.Description ?? instrument.Name;
        return instrument is Histogram<double>
            ? new Family(labels, _factory.CreateHistogram(instrument.Name, help, labels, new HistogramConfiguration { Buckets = LatencyBuckets }))
            : new Family(labels, _factory.CreateCounter(instrument.Name, help, labels));
    }

    /// <summary>One Prometheus family; a measurement's tags are matched to its labels by name (a missing tag is empty).</summary>
    private sealed class Family(string[] labelNames, Collector collector)
    {
        public void Observe(ReadOnlySpan<KeyValuePair<string, object?>> tags, double value)
        {
            var values = new string[labelNames.Length];
            for (var i = 0; i < labelNames.Length; i++)
            {
                values[i] = string.Empty;
                foreach (var tag in tags)
                {
                    if (tag.Key == labelNames[i])
                    {
                        values[i] = Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? string.Empty;
                    }
                }
            }

            switch (collector)
            {
                case Histogram histogram:
                    IHistogram series = values.Length == 0 ? histogram : histogram.WithLabels(values);
                    series.Observe(value);
                    break;
                case Counter counter:
                    ICounter total = values.Length == 0 ? counter : counter.WithLabels(values);
                    total.Inc(value);
                    break;
            }
        }
    }
}
