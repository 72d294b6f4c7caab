using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Lifecycle;
using CallQueue.Jobs.Operations;
using CallQueue.Jobs.Safety;
using Microsoft.Extensions.Logging;

namespace CallQueue.Jobs.Dialing;

/// <summary>
/// The callee-safety gate right before a call takes a slot (issue 11), checked on every dial, never only at queue time:
/// its deadline and calling hours (no storage), then the number gate (do-not-call list, one call per number, gap, caps;
/// one script). A call that may not be dialed now is held (status scheduled, its job scheduled for when the rule allows,
/// no attempt used) or stopped (expired, blocked) through the state machine; its job then ends with that state.
/// </summary>
public sealed class CalleeGate(
    CallSafety safety,
    NumberLine numbers,
    CallTransitions transitions,
    DialEffects effects,
    DialGates gates,
    TimeProvider time,
    ILogger<CalleeGate> logger)
{
    /// <summary>
    /// True when the call may be dialed: its number is then taken, and the caller gives it back
    /// (<see cref="DialEffects.ReleaseSlotAsync"/>) if no request is sent. False when the call moved on meanwhile (nothing
    /// to dial). Otherwise throws the held or stopped job's outcome (<see cref="DialRetryException"/>,
    /// <see cref="DialStoppedException"/>, <see cref="DialFailedException"/>).
    /// </summary>
    public async Task<bool> PassAsync(CallRecord call, string? jobId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var now = time.GetUtcNow();
        if (safety.Check(call, now) is { } verdict)
        {
            await ApplyAsync(call, verdict, cancellationToken);
            return false;
        }

        var taken = await numbers.TryTakeAsync(call, jobId, gates.LeaseFor(call), cancellationToken);
        if (taken.IsTaken)
        {
            return true;
        }

        await ApplyAsync(call, Describe(taken, time.GetUtcNow()), cancellationToken);
        return false;
    }

    private async Task ApplyAsync(CallRecord call, SafetyVerdict verdict, CancellationToken cancellationToken)
    {
        CallEvent decided = verdict.FinalStatus is { } final
            ? new StopCall(verdict.Rule, final, verdict.Reason)
            : new HoldCall(verdict.Rule, verdict.Until!.Value, verdict.Reason);
        var applied = await transitions.ApplyAsync(call.CallId, decided, cancellationToken);
        if (!applied.Written)
        {
            Log.NothingToDial(logger, call.CallId, $"it moved on before the {verdict.Rule.ToWire()} rule's decision was written");
            return;
        }

        CallQueueMetrics.SafetyDecided(verdict.Rule, verdict.FinalStatus);
        if (verdict.FinalStatus is null)
        {
            Log.Held(logger, call.CallId, PhoneNumberMask.Mask(call.PhoneNumber), verdict.Rule.ToWire(), verdict.Until!.Value);
        }
        else
        {
            Log.Stopped(logger, call.CallId, PhoneNumberMask.Mask(call.PhoneNumber), verdict.FinalStatus.Value.ToWire(), verdict.Rule.ToWire());
        }

        await effects.RunAsync(applied.Call!, applied.Effects);
    }

    private static SafetyVerdict Describe(NumberVerdict taken, DateTimeOffset now)
    {
        var until = now + taken.Wait;
        var at = CallSafety.Format(until);
        return taken.Rule switch
        {
            SafetyRule.DoNotCall => SafetyVerdict.Stop(SafetyRule.DoNotCall, CallStatus.Blocked, taken.Entry!.BlockedReason()),
            SafetyRule.NumberBusy => SafetyVerdict.Hold(
                SafetyRule.NumberBusy, until, $"Number busy: another call to it ({taken.LiveCallId}) is dialing, ringing or in progress; dials once that call has ended, at the latest {at}"),
            SafetyRule.NumberGap => SafetyVerdict.Hold(
                SafetyRule.NumberGap, until, $"Number resting: attempts to one number are spaced by NUMBER_MIN_GAP_SECONDS; dials from {at}"),
            _ => SafetyVerdict.Hold(
                SafetyRule.NumberCap, until, $"Number capped: its attempts in the last 24 h reached MAX_ATTEMPTS_PER_NUMBER_PER_DAY or the law's cap for its place; dials from {at}"),
        };
    }
}
