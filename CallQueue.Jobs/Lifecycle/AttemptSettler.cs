using CallQueue.Jobs.Calls;
using Microsoft.Extensions.Logging;

namespace CallQueue.Jobs.Lifecycle;

/// <summary>
/// Plivo's word on a placed attempt, applied through the state machine (<see cref="CallLifecycle"/>): ringing, a
/// machine's verdict, and the hangup or call detail record that settles the attempt and moves the call and its job on.
/// Idempotent: duplicate callbacks change nothing. A callback naming another Plivo call than the attempt's is logged and
/// changes nothing.
/// </summary>
public sealed class AttemptSettler(CallTransitions transitions, CallEffects effects, ILogger<AttemptSettler> logger)
{
    /// <summary>Records the ring callback: the call is ringing (unless it has moved on already).</summary>
    public Task<CallRecord?> MarkRingingAsync(string callId, int attemptNumber, PlivoCallIds plivoCall, CancellationToken cancellationToken) =>
        ApplyAsync(callId, attemptNumber, plivoCall, new RingingReported(attemptNumber, plivoCall), cancellationToken);

    /// <summary>Records Plivo's machine-detection verdict on the attempt; the hangup then counts as a machine.</summary>
    public Task<CallRecord?> MarkMachineAsync(string callId, int attemptNumber, PlivoCallIds plivoCall, bool machine, CancellationToken cancellationToken) =>
        ApplyAsync(callId, attemptNumber, plivoCall, new MachineReported(attemptNumber, plivoCall, machine), cancellationToken);

    /// <summary>Settles attempt <paramref name="attemptNumber"/> with Plivo's result and moves the call and its job on.</summary>
    public Task<CallRecord?> SettleAsync(string callId, int attemptNumber, AttemptResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        return ApplyAsync(callId, attemptNumber, new PlivoCallIds(result.RequestUuid, result.CallUuid), new HangupReported(attemptNumber, result), cancellationToken);
    }

    private async Task<CallRecord?> ApplyAsync(string callId, int attemptNumber, PlivoCallIds plivoCall, CallEvent callEvent, CancellationToken cancellationToken)
    {
        var applied = await transitions.ApplyAsync(callId, callEvent, cancellationToken);
        if (applied is { Call: { } call, Transition.RefusedAs: RefusalKind.ForeignCallback })
        {
            var attempt = call.Attempts.FirstOrDefault(a => a.Number == attemptNumber);
            Log.ForeignCallback(
                logger, callId, attemptNumber, plivoCall.RequestUuid ?? "-", plivoCall.CallUuid ?? "-", attempt?.RequestUuid ?? "-", attempt?.CallUuid ?? "-");
        }

        if (applied.Call is { } written && applied.Effects.Count > 0)
        {
            await effects.RunAsync(written, applied.Effects);
            Log.AttemptSettled(logger, callId, attemptNumber, written.StatusReason ?? string.Empty);
        }

        return applied.Call;
    }
}
