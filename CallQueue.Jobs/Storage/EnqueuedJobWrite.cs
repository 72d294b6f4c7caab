namespace CallQueue.Jobs.Storage;

/// <summary>
/// A Hangfire job to write, already in the Enqueued state, into Hangfire's Redis storage (<see cref="IEnqueuingCallStore"/>):
/// its id, its queue, the fields of its job hash and of its state hash, and its one history entry, each as Hangfire's
/// Redis storage writes them (<see cref="Ingest.InlineDialJob"/> makes them).
/// </summary>
public sealed record EnqueuedJobWrite(
    string Id,
    string Queue,
    IReadOnlyDictionary<string, string> JobFields,
    IReadOnlyDictionary<string, string> StateFields,
    string HistoryEntry);
