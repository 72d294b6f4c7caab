using CallQueue.Jobs.Audit;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Lifecycle;
using CallQueue.Jobs.Storage;
using Microsoft.Extensions.Logging;

namespace CallQueue.Jobs.Campaigns;

/// <summary>
/// Pause, resume and cancel of a campaign or batch (issue 12), recorded in the audit log with the actor's name. The rule
/// every peer keeps: new dials stop, a call in flight is never hung up.
/// <list type="bullet">
/// <item>Pause: the state changes (every dial worker reads it right before its call takes a slot and again right before
/// the request leaves); waiting calls keep status and place and are parked by the worker that fetches them, using no
/// attempt (the dial job's campaign gate).</item>
/// <item>Resume: the state changes, then the parked calls go back to their priority's queue in their order.</item>
/// <item>Cancel: the state changes (no dial from then on, no new call: 409), then every undialed call is cancelled, in
/// chunks; a crash midway is finished by the gate (a fetched call of a cancelled campaign is cancelled) and by the
/// minutely sweep of parked calls (<see cref="DrainAsync"/>).</item>
/// </list>
/// </summary>
public sealed class CampaignControl(
    ICampaignStates states,
    ICallStore store,
    CallTransitions transitions,
    CallEffects effects,
    TimeProvider time,
    ILogger<CampaignControl> logger,
    IAuditLog? audit = null)
{
    public const string ResumedReason = "Campaign resumed";

    // Calls read and changed per round; a 100,000-call campaign takes 200 rounds.
    private const int Chunk = 500;
    private const int Parallelism = 16;

    private static readonly CampaignState[] FromActive = [CampaignState.Active];
    private static readonly CampaignState[] FromPaused = [CampaignState.Paused];
    private static readonly CampaignState[] FromActiveOrPaused = [CampaignState.Active, CampaignState.Paused];

    public async Task<ControlResult> ApplyAsync(ControlTarget target, ControlAction action, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var tally = await TallyAsync(target, cancellationToken);
        if (tally is null || tally.Total == 0)
        {
            return new ControlResult(ControlOutcome.NotFound, CampaignState.Active, 0, 0);
        }

        var (from, to) = action switch
        {
            ControlAction.Pause => (FromActive, CampaignState.Paused),
            ControlAction.Resume => (FromPaused, CampaignState.Active),
            _ => (FromActiveOrPaused, CampaignState.Cancelled),
        };

        // Completed is no stored state: a campaign with nothing left to dial cannot be paused (a cancel is harmless).
        var stored = await states.GetAsync(target, cancellationToken);
        if (action == ControlAction.Pause && stored == CampaignState.Active && tally.Waiting == 0 && tally.InFlight == 0)
        {
            return new ControlResult(ControlOutcome.Conflict, CampaignState.Completed, 0, 0);
        }

        var (changed, was) = await states.ChangeAsync(target, from, to, cancellationToken);
        if (!changed)
        {
            var current = was == CampaignState.Active && tally.Waiting == 0 && tally.InFlight == 0 ? CampaignState.Completed : was;
            return new ControlResult(ControlOutcome.Conflict, current, 0, tally.InFlight);
        }

        Log.Changed(logger, target.ToString(), was.ToWire(), to.ToWire(), actor);
        long calls = action switch
        {
            ControlAction.Pause => tally.Waiting,
            ControlAction.Resume => await DrainAsync(target, CampaignState.Active, cancellationToken),
            _ => await CancelAllAsync(target, tally, cancellationToken),
        };
        var after = await TallyAsync(target, cancellationToken);
        await (audit?.RecordAsync(new AuditEntry(time.GetUtcNow(), actor, action.ToWire(), target.ToString(), calls), CancellationToken.None) ?? Task.CompletedTask);
        return new ControlResult(ControlOutcome.Changed, to, calls, after?.InFlight ?? 0);
    }

    /// <summary>
    /// Finishes what a resume or cancel left parked (a crash between the state change and the drain): targets whose
    /// state is no longer paused get their parked calls back in their queues, or cancelled. Run minutely.
    /// </summary>
    public async Task<long> SweepAsync(CancellationToken cancellationToken)
    {
        long moved = 0;
        var targets = await states.GetTargetsWithParkedAsync(cancellationToken);
        if (targets.Count == 0)
        {
            return 0;
        }

        var current = await states.GetManyAsync(targets, cancellationToken);
        for (var i = 0; i < targets.Count; i++)
        {
            if (current[i] != CampaignState.Paused)
            {
                moved += await DrainAsync(targets[i], current[i], cancellationToken);
            }
        }

        return moved;
    }

    private Task<CallTally?> TallyAsync(ControlTarget target, CancellationToken cancellationToken) => target.Scope == ControlScope.Campaign
        ? store.GetCampaignTallyAsync(target.Id, cancellationToken)
        : store.GetBatchTallyAsync(target.Id, cancellationToken);

    /// <summary>Puts the parked calls back in their queues (active) or cancels them (cancelled), in their order.</summary>
    private async Task<long> DrainAsync(ControlTarget target, CampaignState state, CancellationToken cancellationToken)
    {
        CallEvent change = state == CampaignState.Cancelled ? new CancelWaiting(new CampaignHold(target, state).Reason) : new UnparkCall(ResumedReason);
        long moved = 0;
        while (true)
        {
            var ids = await states.PeekParkedAsync(target, Chunk, cancellationToken);
            if (ids.Count == 0)
            {
                return moved;
            }

            // In order: a resumed campaign's calls rejoin their queues as they left them.
            foreach (var id in ids)
            {
                moved += await ChangeAsync(id, change, cancellationToken) ? 1 : 0;
            }

            await states.RemoveParkedAsync(target, ids, cancellationToken);
        }
    }

    /// <summary>
    /// Cancels every undialed call of the target (parked or not), in chunks. The count cancelled is the target's cancelled
    /// calls after the walk less those before the state changed: dial workers that fetched one of its calls meanwhile
    /// cancel it themselves (the gate), and those count too.
    /// </summary>
    private async Task<long> CancelAllAsync(ControlTarget target, CallTally before, CancellationToken cancellationToken)
    {
        var cancel = new CancelWaiting(new CampaignHold(target, CampaignState.Cancelled).Reason);
        long cancelled = 0;
        await foreach (var ids in CallIdsAsync(target, cancellationToken))
        {
            var calls = await store.GetManyAsync(ids, cancellationToken);
            var waiting = calls.Where(call => call.Status is CallStatus.Queued or CallStatus.Scheduled or CallStatus.Retry).Select(call => call.CallId).ToList();
            var done = 0;
            await Parallel.ForEachAsync(
                waiting,
                new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
                async (id, token) =>
                {
                    if (await ChangeAsync(id, cancel, token))
                    {
                        Interlocked.Increment(ref done);
                    }
                });
            cancelled += done;
        }

        // What was parked is cancelled now; the parked set goes.
        await DrainAsync(target, CampaignState.Cancelled, cancellationToken);
        var after = await TallyAsync(target, cancellationToken);
        return Math.Max(cancelled, (after?.Counts[CallStatus.Cancelled] ?? 0) - before.Counts[CallStatus.Cancelled]);
    }

    private async IAsyncEnumerable<IReadOnlyList<string>> CallIdsAsync(
        ControlTarget target, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (target.Scope == ControlScope.Batch)
        {
            foreach (var chunk in (await store.GetBatchCallIdsAsync(target.Id, cancellationToken)).Chunk(Chunk))
            {
                yield return chunk;
            }

            yield break;
        }

        CampaignCursor? cursor = null;
        while (true)
        {
            var page = await store.GetCampaignCallIdsAsync(target.Id, cursor, Chunk, cancellationToken);
            if (page.Count == 0)
            {
                yield break;
            }

            yield return page.Select(entry => entry.CallId).ToList();
            cursor = page.Aggregate(cursor, (at, entry) => CampaignCursor.After(at, entry));
        }
    }

    private async Task<bool> ChangeAsync(string callId, CallEvent change, CancellationToken cancellationToken)
    {
        var applied = await transitions.ApplyAsync(callId, change, cancellationToken);
        if (!applied.Written)
        {
            return false;
        }

        await effects.RunAsync(applied.Call!, applied.Effects);
        return true;
    }
}
