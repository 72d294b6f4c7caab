using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Campaigns;
using CallQueue.Jobs.Lifecycle;
using Microsoft.Extensions.Logging;

namespace CallQueue.Jobs.Dialing;

/// <summary>
/// The operator's gate (issue 12), read from Redis on every dial, so a pause holds in every process at its next dial:
/// before the call takes a slot (a call of a paused campaign or batch is parked, one of a cancelled one cancelled) and
/// again right before the request leaves (a pause that came while the worker waited for a slot or a rate token sends
/// nothing: the attempt and the slot are given back and the job comes back in a second, to be parked then).
/// </summary>
public sealed class CampaignGate(ICampaignStates states, CallTransitions transitions, DialEffects effects, ILogger<CampaignGate> logger)
{
    private static readonly TimeSpan RecheckDelay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// True when the call's campaign and batch are active. False when there is nothing to dial. Throws the parked or
    /// cancelled job's outcome (<see cref="DialParkedException"/>, <see cref="DialStoppedException"/>).
    /// </summary>
    public async Task<bool> PassAsync(CallRecord call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (await states.HoldOfAsync(call, cancellationToken) is not { } hold)
        {
            return true;
        }

        CallEvent decided = hold.State == CampaignState.Cancelled ? new CancelWaiting(hold.Reason) : new ParkCall(hold.Reason);
        if (hold.State == CampaignState.Paused && !await states.ParkAsync(hold.Target, call.CallId, ParkOrder(call), cancellationToken))
        {
            return true; // resumed between the read and the park
        }

        var applied = await transitions.ApplyAsync(call.CallId, decided, cancellationToken);
        if (!applied.Written)
        {
            Log.NothingToDial(logger, call.CallId, "it moved on before its campaign's decision was written");
            return false;
        }

        Log.CampaignHeld(logger, call.CallId, hold.Reason);
        await effects.RunAsync(applied.Call!, applied.Effects);
        return false;
    }

    /// <summary>Right before the request leaves: throws a <see cref="DialWaitException"/> when the call's campaign or batch stopped meanwhile.</summary>
    public async Task ThrowIfHeldAsync(CallRecord call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (await states.HoldOfAsync(call, cancellationToken) is { } hold)
        {
            throw new DialWaitException($"{hold.Reason} while the call waited to be sent: nothing sent", RecheckDelay);
        }
    }

    /// <summary>The order parked calls resume in: priority first, then when they were queued (FIFO).</summary>
    public static double ParkOrder(CallRecord call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return ((int)call.Priority * 1e13) + call.CreatedAt.ToUnixTimeMilliseconds();
    }
}
