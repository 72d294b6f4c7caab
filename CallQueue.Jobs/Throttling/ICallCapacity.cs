namespace CallQueue.Jobs.Throttling;

/// <summary>
/// The cluster-wide caps of DESIGN.md §4: call slots (MAX_CONCURRENT_CALLS) as leases, and the create-call rate
/// (RATE_LIMIT_PER_SECOND) as a GCRA schedule, both decided atomically by the store on its own clock (Redis TIME in
/// Lua; in development an in-process equivalent).
/// </summary>
public interface ICallCapacity
{
    /// <summary>
    /// Takes (or renews) the slot of <paramref name="callId"/>, expiring after <paramref name="leaseDuration"/> unless
    /// renewed or released. A call holds at most one slot: acquiring again for the same call only extends it. Expired
    /// leases are reclaimed first. Fails when <paramref name="maxSlots"/> leases of other calls are live.
    /// </summary>
    Task<SlotResult> TryAcquireSlotAsync(string callId, int maxSlots, TimeSpan leaseDuration, CancellationToken cancellationToken);

    /// <summary>Gives the slot of <paramref name="callId"/> back (idempotent) and wakes one waiter in every process.</summary>
    Task ReleaseSlotAsync(string callId, CancellationToken cancellationToken);

    /// <summary>Completes when a slot may have been freed anywhere in the cluster, or after <paramref name="timeout"/>.</summary>
    Task WaitForFreedSlotAsync(TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>
    /// Asks for permission to send one create-call request under <paramref name="perSecond"/>. Returns
    /// <see cref="TimeSpan.Zero"/> when granted (the permission is consumed), otherwise how long to wait before asking
    /// again (nothing consumed). Grants are spaced so that no one-second window holds more than the rate.
    /// </summary>
    Task<TimeSpan> TryTakeRateTokenAsync(double perSecond, CancellationToken cancellationToken);

    /// <summary>Live leases (calls holding a slot) right now.</summary>
    Task<long> CountSlotsAsync(CancellationToken cancellationToken);

    /// <summary>Create-call requests granted in the last <paramref name="window"/> (for the achieved rate).</summary>
    Task<long> CountGrantsAsync(TimeSpan window, CancellationToken cancellationToken);
}
