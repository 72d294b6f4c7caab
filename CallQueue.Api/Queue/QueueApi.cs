using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Configuration;
using CallQueue.Jobs.Queues;
using CallQueue.Jobs.Storage;
using CallQueue.Jobs.Throttling;
using Hangfire;
using Microsoft.Extensions.Options;

namespace CallQueue.Api.Queue;

/// <summary>GET /api/queue/status: what is waiting, where, and how fast it may go.</summary>
public static class QueueApi
{
    public static IEndpointRouteBuilder MapQueueApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/queue/status", StatusAsync).WithTags("Queue").WithName("QueueStatus");
        return app;
    }

    private static readonly TimeSpan AchievedRateWindow = TimeSpan.FromSeconds(60);

    // The rules a waiting call can be held by, always listed (zero when none waits on one).
    private static readonly SafetyRule[] HoldRules = [SafetyRule.CallingHours, SafetyRule.NumberBusy, SafetyRule.NumberGap, SafetyRule.NumberCap];

    private static async Task<IResult> StatusAsync(
        JobStorage storage, ICallStore store, ICallCapacity capacity, AgentGate agent, IOptions<QueueOptions> queue, CancellationToken cancellationToken)
    {
        var monitoring = storage.GetMonitoringApi();
        var queues = HangfireQueues.Dial.ToDictionary(name => name, monitoring.EnqueuedCount);
        var counts = await store.CountByStatusAsync(cancellationToken);
        var waiting = await store.CountWaitingByReasonAsync(cancellationToken);
        var dialServers = monitoring.Servers().Where(server => server.Queues.Contains(HangfireQueues.Dial[0])).ToList();
        var options = queue.Value;
        var active = counts[CallStatus.Dialing] + counts[CallStatus.Ringing] + counts[CallStatus.InProgress];
        var slots = await capacity.CountSlotsAsync(cancellationToken);
        var grants = await capacity.CountGrantsAsync(AchievedRateWindow, cancellationToken);
        var gate = agent.State;
        return TypedResults.Ok(new QueueStatusResponse(
            Queues: queues,
            Queued: queues.Values.Sum(),
            Scheduled: monitoring.ScheduledCount(),
            Processing: monitoring.ProcessingCount(),
            FailedJobs: monitoring.FailedCount(),
            ActiveCalls: active,
            MaxConcurrentCalls: options.MaxConcurrentCalls,
            RateLimitPerSecond: options.RateLimitPerSecond,
            AchievedRatePerSecond: Math.Round(grants / AchievedRateWindow.TotalSeconds, 3),
            SlotsInUse: slots,
            DialingPaused: !gate.IsOpen,
            PausedReason: gate.Reason,
            Workers: dialServers.Sum(server => server.WorkersCount),
            Servers: dialServers.Count,
            Calls: counts.ToDictionary(pair => pair.Key.ToWire(), pair => pair.Value),
            WaitingByReason: waiting.Where(pair => HoldRules.Contains(pair.Key) || pair.Value != 0).ToDictionary(pair => pair.Key.ToWire(), pair => pair.Value),
            Totals: new Dictionary<string, long>
            {
                ["queued"] = counts[CallStatus.Queued] + counts[CallStatus.Scheduled],
                ["processing"] = active,
                ["retry"] = counts[CallStatus.Retry],
                ["completed"] = counts[CallStatus.Completed],
                ["failed"] = counts[CallStatus.Failed] + counts[CallStatus.Unknown] + counts[CallStatus.Expired],
                ["cancelled"] = counts[CallStatus.Cancelled] + counts[CallStatus.Blocked],
                ["total"] = counts.Values.Sum(),
            }));
    }
}
