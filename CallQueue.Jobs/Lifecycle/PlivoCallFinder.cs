using CallQueue.Jobs.Plivo;

namespace CallQueue.Jobs.Lifecycle;

/// <summary>
/// Looks a call up at Plivo when we do not know whether our request placed it (the dialer stopped between sending and
/// recording the answer): Plivo's live calls to the number, then its queued calls (reference §6), then the records of its
/// ended calls.
/// </summary>
public sealed class PlivoCallFinder(IPlivoClient plivo)
{
    public async Task<FoundCall?> FindByNumberAsync(string phoneNumber, CancellationToken cancellationToken)
    {
        foreach (var uuid in await plivo.ListLiveCallUuidsAsync(phoneNumber, cancellationToken))
        {
            var live = await plivo.GetLiveCallAsync(uuid, cancellationToken);
            if (live is not null && SameNumber(live.To, phoneNumber))
            {
                return new FoundCall(live.CallUuid ?? uuid, live.RequestUuid ?? live.CallUuid ?? uuid, IsLive: true, live.CallStatus);
            }
        }

        foreach (var uuid in await plivo.ListQueuedCallUuidsAsync(cancellationToken))
        {
            var queued = await plivo.GetQueuedCallAsync(uuid, cancellationToken);
            if (queued is not null && SameNumber(queued.To, phoneNumber))
            {
                return new FoundCall(queued.CallUuid ?? uuid, queued.RequestUuid ?? queued.CallUuid ?? uuid, IsLive: false, queued.CallStatus);
            }
        }

        return null;
    }

    /// <summary>
    /// The newest call to <paramref name="phoneNumber"/> that has already ended (its call detail record) and was started at
    /// or after <paramref name="notBefore"/>; null when Plivo lists none (a record may also take a while to appear).
    /// </summary>
    public async Task<CallDetailRecord?> FindEndedAsync(string phoneNumber, DateTimeOffset notBefore, CancellationToken cancellationToken)
    {
        var records = await plivo.ListCallDetailRecordsAsync(phoneNumber, cancellationToken);
        return records
            .Where(record => record.CallUuid is not null && SameNumber(record.ToNumber, phoneNumber))
            .Select(record => (Record: record, Started: PlivoTimestamp.ParseOrNull(record.InitiationTime)))
            .Where(entry => entry.Started >= notBefore)
            .OrderByDescending(entry => entry.Started)
            .Select(entry => entry.Record)
            .FirstOrDefault();
    }

    // Plivo may echo the number with or without its leading '+'.
    private static bool SameNumber(string? reported, string phoneNumber) =>
        reported is not null && reported.TrimStart('+') == phoneNumber.TrimStart('+');
}
