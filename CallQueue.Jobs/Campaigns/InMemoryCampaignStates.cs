using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Campaigns;

/// <summary>Campaign and batch states in this process only (development, with the in-memory call store).</summary>
public sealed class InMemoryCampaignStates : ICampaignStates
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ControlTarget, CampaignState> _states = [];
    private readonly Dictionary<ControlTarget, SortedSet<(double Order, string CallId)>> _parked = [];

    public Task<CampaignState> GetAsync(ControlTarget target, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_states.GetValueOrDefault(target, CampaignState.Active));
        }
    }

    public Task<IReadOnlyList<CampaignState>> GetManyAsync(IReadOnlyList<ControlTarget> targets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        lock (_gate)
        {
            IReadOnlyList<CampaignState> states = targets.Select(target => _states.GetValueOrDefault(target, CampaignState.Active)).ToList();
            return Task.FromResult(states);
        }
    }

    public async Task<CampaignHold?> HoldOfAsync(CallRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        List<ControlTarget> targets = [ControlTarget.Campaign(record.CampaignId)];
        if (record.BatchId is { } batchId)
        {
            targets.Add(ControlTarget.Batch(batchId));
        }

        return CampaignHolds.Pick(targets, await GetManyAsync(targets, cancellationToken));
    }

    public Task<(bool Changed, CampaignState Was)> ChangeAsync(
        ControlTarget target, IReadOnlyCollection<CampaignState> from, CampaignState newState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(from);
        lock (_gate)
        {
            var was = _states.GetValueOrDefault(target, CampaignState.Active);
            if (!from.Contains(was))
            {
                return Task.FromResult((false, was));
            }

            if (newState == CampaignState.Active)
            {
                _states.Remove(target);
            }
            else
            {
                _states[target] = newState;
            }

            return Task.FromResult((true, was));
        }
    }

    public Task<bool> ParkAsync(ControlTarget target, string callId, double order, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_states.GetValueOrDefault(target, CampaignState.Active) != CampaignState.Paused)
            {
                return Task.FromResult(false);
            }

            if (!_parked.TryGetValue(target, out var parked))
            {
                _parked[target] = parked = [];
            }

            parked.RemoveWhere(entry => entry.CallId == callId);
            parked.Add((order, callId));
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<string>> PeekParkedAsync(ControlTarget target, int count, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<string> ids = _parked.TryGetValue(target, out var parked) ? parked.Take(count).Select(entry => entry.CallId).ToList() : [];
            return Task.FromResult(ids);
        }
    }

    public Task RemoveParkedAsync(ControlTarget target, IReadOnlyList<string> callIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(callIds);
        lock (_gate)
        {
            if (_parked.TryGetValue(target, out var parked))
            {
                var gone = callIds.ToHashSet(StringComparer.Ordinal);
                parked.RemoveWhere(entry => gone.Contains(entry.CallId));
                if (parked.Count == 0)
                {
                    _parked.Remove(target);
                }
            }

            return Task.CompletedTask;
        }
    }

    public Task<long> CountParkedAsync(ControlTarget target, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult((long)(_parked.TryGetValue(target, out var parked) ? parked.Count : 0));
        }
    }

    public Task<IReadOnlyList<ControlTarget>> GetTargetsWithParkedAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<ControlTarget> targets = _parked.Keys.ToList();
            return Task.FromResult(targets);
        }
    }
}
