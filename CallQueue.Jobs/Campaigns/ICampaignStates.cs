using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Campaigns;

/// <summary>
/// The operator's states of campaigns and batches, and the calls parked while one is paused (issue 12). Redis in
/// production (<see cref="RedisCampaignStates"/>: every process sees a pause at its next dial), memory in development.
/// Only paused and cancelled are stored: anything else is active.
/// </summary>
public interface ICampaignStates
{
    /// <summary>The stored state (active when none).</summary>
    Task<CampaignState> GetAsync(ControlTarget target, CancellationToken cancellationToken);

    /// <summary>The stored states of several targets in one round trip.</summary>
    Task<IReadOnlyList<CampaignState>> GetManyAsync(IReadOnlyList<ControlTarget> targets, CancellationToken cancellationToken);

    /// <summary>
    /// What stops <paramref name="record"/> from being dialed now: its campaign or its batch paused or cancelled (cancelled
    /// first), in one round trip; null when both are active.
    /// </summary>
    Task<CampaignHold?> HoldOfAsync(CallRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// Sets <paramref name="target"/> to <paramref name="newState"/> if its stored state is one of <paramref name="from"/>,
    /// atomically. Returns whether it changed and the state it had.
    /// </summary>
    Task<(bool Changed, CampaignState Was)> ChangeAsync(ControlTarget target, IReadOnlyCollection<CampaignState> from, CampaignState newState, CancellationToken cancellationToken);

    /// <summary>
    /// Parks <paramref name="callId"/> under <paramref name="target"/> in the order <paramref name="order"/> (lowest
    /// resumes first), only if the target is still paused (atomic with the check: a resume never misses a call).
    /// </summary>
    Task<bool> ParkAsync(ControlTarget target, string callId, double order, CancellationToken cancellationToken);

    /// <summary>The first <paramref name="count"/> parked calls of <paramref name="target"/>, in order.</summary>
    Task<IReadOnlyList<string>> PeekParkedAsync(ControlTarget target, int count, CancellationToken cancellationToken);

    /// <summary>Forgets parked calls once they are back in their queues or cancelled.</summary>
    Task RemoveParkedAsync(ControlTarget target, IReadOnlyList<string> callIds, CancellationToken cancellationToken);

    /// <summary>How many calls are parked under <paramref name="target"/>.</summary>
    Task<long> CountParkedAsync(ControlTarget target, CancellationToken cancellationToken);

    /// <summary>Targets that have parked calls (a crash between a resume or cancel and its drain leaves some: swept).</summary>
    Task<IReadOnlyList<ControlTarget>> GetTargetsWithParkedAsync(CancellationToken cancellationToken);
}
