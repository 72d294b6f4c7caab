using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Ingest;

namespace CallQueue.Jobs.Hosting;

public static class HangfireQueues
{
    /// <summary>The dial server's queues, fetched strictly in this order (hangfire-notes §1).</summary>
    public static readonly string[] Dial = Enum.GetValues<CallPriority>().Select(priority => priority.ToWire()).ToArray();

    /// <summary>Internal work (job creation, sweeps, notifications) on its own small server.</summary>
    public static readonly string[] Internal = [CreateDialJobsJob.Queue];
}
