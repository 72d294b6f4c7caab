using CallQueue.Jobs.Plivo;

namespace CallQueue.Jobs.Lifecycle;

/// <summary>
/// Looks a call up at Plivo when we do not know whether our request placed it (the dialer stopped between sending and
/// recording the answer): Plivo's live calls to the number, then its queued calls (reference §6).
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

    // Plivo may echo the number with or without its leading '+'.
    private static bool SameNumber(string? reported, string phoneNumber) =>
        reported is not null && reported.TrimStart('+') == phoneNumber.TrimStart('+');
}
