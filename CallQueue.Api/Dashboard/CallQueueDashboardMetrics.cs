using System.Globalization;
using CallQueue.Jobs.Configuration;
using CallQueue.Jobs.Throttling;
using Hangfire;
using Hangfire.Dashboard;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CallQueue.Api.Dashboard;

/// <summary>
/// The home page's call metrics: active calls against MAX_CONCURRENT_CALLS, the achieved create-call rate over the last
/// minute against RATE_LIMIT_PER_SECOND, and whether dialing is paused for the agent server. Hangfire keeps dashboard
/// metrics in static lists, so they are registered once per process and read the services of the request's own app
/// (several apps in one test process each see their own). A failing read shows "unavailable", never a broken page; the
/// Redis INFO metric is left out because it needs allowAdmin and otherwise fails the whole page (hangfire-notes §4).
/// </summary>
internal static class CallQueueDashboardMetrics
{
    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(2);

    public static readonly DashboardMetric ActiveCalls = new(
        "callqueue:active-calls", "Active calls / max concurrent", page => Read(page, ActiveCallsMetric));

    public static readonly DashboardMetric CallRate = new(
        "callqueue:calls-per-second", "Calls per second (last minute) / limit", page => Read(page, CallRateMetric));

    public static readonly DashboardMetric Dialing = new(
        "callqueue:dialing", "Dialing", page => Read(page, DialingMetric));

    private static readonly Lazy<bool> Registration = new(() =>
    {
        GlobalConfiguration.Configuration.UseDashboardMetrics(ActiveCalls, CallRate, Dialing);
        return true;
    });

    /// <summary>Adds the metrics to the dashboard's home page, once per process however many apps start.</summary>
    public static void Register() => _ = Registration.Value;

    private static Metric ActiveCallsMetric(IServiceProvider services)
    {
        var max = services.GetRequiredService<IOptions<QueueOptions>>().Value.MaxConcurrentCalls;
        var active = Wait(services.GetRequiredService<ICallCapacity>().CountSlotsAsync(CancellationToken.None));
        return new Metric(string.Create(CultureInfo.InvariantCulture, $"{active} / {max}"))
        {
            IntValue = active,
            Style = active >= max ? MetricStyle.Warning : active > 0 ? MetricStyle.Info : MetricStyle.Default,
            Highlighted = active >= max,
            Title = active >= max ? "Every call slot is in use: calls wait for one" : null,
        };
    }

    private static Metric CallRateMetric(IServiceProvider services)
    {
        var limit = services.GetRequiredService<IOptions<QueueOptions>>().Value.RateLimitPerSecond;
        var grants = Wait(services.GetRequiredService<ICallCapacity>().CountGrantsAsync(RateWindow, CancellationToken.None));
        var rate = grants / RateWindow.TotalSeconds;
        return new Metric(string.Create(CultureInfo.InvariantCulture, $"{rate:0.0#} / {limit:0.##}"))
        {
            IntValue = grants,
            Style = rate > 0 ? MetricStyle.Info : MetricStyle.Default,
        };
    }

    private static Metric DialingMetric(IServiceProvider services)
    {
        var gate = services.GetRequiredService<AgentGate>().State;
        return gate.IsOpen
            ? new Metric("running") { Style = MetricStyle.Success }
            : new Metric("paused") { Style = MetricStyle.Danger, Highlighted = true, Title = $"{gate.Reason}: dialing paused" };
    }

    private static Metric Read(RazorPage page, Func<IServiceProvider, Metric> read)
    {
        try
        {
            return read(page.Context.GetHttpContext().RequestServices);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or OperationCanceledException)
        {
            return new Metric("unavailable") { Style = MetricStyle.Warning, Title = ex.Message };
        }
    }

    private static long Wait(Task<long> count) => count.WaitAsync(ReadTimeout).GetAwaiter().GetResult();
}
