using Hangfire.States;

namespace CallQueue.Jobs.Queues;

/// <summary>
/// The Hangfire state of a dial job whose campaign or batch is paused (issue 12): in no queue and no schedule, so it
/// costs Redis nothing while it waits, and not final, so its job never expires. A resume moves it to Enqueued. Hangfire
/// needs no handler for it: the job's state and history say "Parked" with the reason.
/// </summary>
public sealed class ParkedState(string reason) : IState
{
    public const string StateName = "Parked";

    public string Name => StateName;

    public string Reason { get; } = reason;

    public bool IsFinal => false;

    public bool IgnoreJobLoadException => false;

    public Dictionary<string, string> SerializeData() => new(StringComparer.Ordinal)
    {
        ["ParkedAt"] = Hangfire.Common.JobHelper.SerializeDateTime(DateTime.UtcNow),
    };
}
