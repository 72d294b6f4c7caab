using System.Diagnostics;

namespace CallQueue.Jobs.Operations;

/// <summary>
/// The service's own spans (the <c>CallQueue</c> activity source): each Hangfire job run, and each Plivo callback. With
/// no listener (tracing off) they cost nothing and are not created.
/// </summary>
public static class CallQueueTracing
{
    public const string SourceName = "CallQueue";

    public static ActivitySource Source { get; } = new(SourceName);

    /// <summary>
    /// The W3C <c>traceparent</c> a call or job keeps for the spans that continue its trace later (its job runs, Plivo's
    /// callbacks): the current one while tracing is on, none while it is off (issue 15: 55 bytes per queued call, twice,
    /// for spans nobody records).
    /// </summary>
    public static string? CurrentTraceParent() => Source.HasListeners() ? Activity.Current?.Id : null;

    /// <summary>The parent a span continues from: <paramref name="traceParent"/> (W3C), or none when missing or invalid.</summary>
    public static ActivityContext Parent(string? traceParent) =>
        ActivityContext.TryParse(traceParent, traceState: null, out var context) ? context : default;
}
