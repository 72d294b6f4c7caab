using CallQueue.Jobs.Calls;

namespace CallQueue.Api.Calls;

/// <summary>
/// What callee safety made of a call about to be stored (<see cref="QueueTimeSafety"/>): the record to store (as built,
/// blocked, or held), or the request field that keeps it from being queued and why (<see cref="Call"/> null).
/// </summary>
internal readonly record struct QueueTimeVerdict(CallRecord? Call, string? Field, string? Error)
{
    public static QueueTimeVerdict Store(CallRecord call) => new(call, null, null);

    public static QueueTimeVerdict Refuse(string field, string error) => new(null, field, error);
}
