using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Queues;

/// <summary>Every Hangfire queue the service uses, in one place: the dial queues and the internal one.</summary>
public static class HangfireQueues
{
    /// <summary>Internal work (dial-job creation, sweeps, agent notifications, the reconciler) on its own small server, never behind dial jobs.</summary>
    public const string InternalQueue = "internal";

    /// <summary>The dial server's queues, fetched strictly in this order (hangfire-notes §1).</summary>
    public static readonly string[] Dial = Enum.GetValues<CallPriority>().Select(priority => priority.ToWire()).ToArray();

    /// <summary>The internal server's queues.</summary>
    public static readonly string[] Internal = [InternalQueue];
}
