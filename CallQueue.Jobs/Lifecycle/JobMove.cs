namespace CallQueue.Jobs.Lifecycle;

/// <summary>Where the call's Hangfire job goes.</summary>
public enum JobMove
{
    /// <summary>Scheduled for the next attempt, after a delay.</summary>
    Schedule,

    /// <summary>Failed: a person decides (requeue or not).</summary>
    Fail,

    /// <summary>Succeeded: the call was answered after all.</summary>
    Succeed,

    /// <summary>Deleted: the call was cancelled before it was dialed.</summary>
    Delete,

    /// <summary>Parked: its campaign or batch is paused; in no queue and no schedule until a resume (issue 12).</summary>
    Park,

    /// <summary>Enqueued in its priority's queue: its paused campaign or batch resumed (issue 12).</summary>
    Enqueue,
}
