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

    /// <summary>The parent a span continues from: <paramref name="traceParent"/> (W3C), or none when missing or invalid.</summary>
    public static ActivityContext Parent(string? traceParent) =>
        ActivityContext.TryParse(traceParent, traceState: null, out var context) ? context : default;
}
