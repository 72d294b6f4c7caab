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
    /// <remarks>
    /// In turn: a call that finds no free slot joins one waiting line shared by every process, ordered by
    /// <paramref name="queueOrder"/> (lower first; ties by call id), and a freed slot goes to the head of the line, not to
    /// whoever asks first. A waiter must ask again at least every <see cref="WaiterLifetime"/>, or it drops out of the
    /// line (a dead process never blocks it for longer); <see cref="LeaveSlotQueueAsync"/> leaves it at once. A
    /// <paramref name="queueOrder"/> of NaN does not queue: it takes a slot only if one is left for everybody in line.
    /// </remarks>
    Task<SlotResult> TryAcquireSlotAsync(string callId, int maxSlots, TimeSpan leaseDuration, double queueOrder, CancellationToken cancellationToken);

    /// <summary>How long a place in the waiting line lasts without asking again.</summary>
    static TimeSpan WaiterLifetime => TimeSpan.FromSeconds(15);

    /// <summary>Leaves the waiting line (the call stopped waiting); idempotent.</summary>
    Task LeaveSlotQueueAsync(string callId, CancellationToken cancellationToken);

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
