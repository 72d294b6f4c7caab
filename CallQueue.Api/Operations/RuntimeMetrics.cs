using Prometheus;

namespace CallQueue.Api.Operations;

/// <summary>
/// Process and .NET runtime series in this app's registry: prometheus-net's process and GC collectors
/// (<c>process_*</c>, <c>dotnet_*</c>), and .NET's own <c>System.Runtime</c> meter through prometheus-net's meter
/// adapter (<c>system_runtime_dotnet_thread_pool_queue_length</c>, <c>…_thread_pool_thread_count</c>, GC heap and
/// pauses, lock contention). The thread pool series matter here: dial workers block threads, and the limiter's
/// continuations wait behind slow thread injection when the pool runs dry.
/// </summary>
internal sealed class RuntimeMetrics : IDisposable
{
    /// <summary>.NET's built-in runtime meter (GC, thread pool, JIT, locks).</summary>
    private const string RuntimeMeter = "System.Runtime";

    private readonly IDisposable _runtimeMeter;

    public RuntimeMetrics(CollectorRegistry registry)
    {
        DotNetStats.Register(registry);
        _runtimeMeter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = registry,
            MetricFactory = Metrics.WithCustomRegistry(registry),
            InstrumentFilterPredicate = instrument => instrument.Meter.Name == RuntimeMeter,
        });
    }

    public void Dispose() => _runtimeMeter.Dispose();
}
