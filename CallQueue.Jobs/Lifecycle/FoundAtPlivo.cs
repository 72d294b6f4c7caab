namespace CallQueue.Jobs.Lifecycle;

/// <summary>
/// An attempt whose answer from Plivo was never recorded was found at Plivo (live, queued, or ended in a call detail
/// record) after its dialer stopped: the attempt adopts that call. A <paramref name="Live"/> one makes a dialing call
/// ringing; an <paramref name="Ended"/> one (a call detail record) is settled from that record by the reconciler.
/// </summary>
public sealed record FoundAtPlivo(int Attempt, string RequestUuid, string CallUuid, bool Live, bool Ended, DateTimeOffset AcceptedAt, string Reason) : CallEvent;
