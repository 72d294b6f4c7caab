using System.Globalization;
using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Safety;

/// <summary>
/// The callee-safety rules that need no storage, applied to a call: its deadline (expires_at) and its calling hours
/// (the callee's zones from the number or call_config.timezone, the deployment's, the law's and the call's own window).
/// Used when a call is queued and again right before its Plivo request, and to move a retry to the next opening.
/// </summary>
public sealed class CallSafety(CallingHours hours)
{
    /// <summary>The engine's policy (for the law's caps and the switches).</summary>
    public CallingHoursPolicy Policy => hours.Policy;

    /// <summary>The callee's place and zones, or why they are unknown (the request field to fix).</summary>
    public static CalleeLookup Locate(CallRecord call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return CalleeLocator.Locate(call.PhoneNumber, call.Config.Timezone);
    }

    /// <summary>The call's own window (call_config.calling_window), or null when it has none or it does not parse.</summary>
    public static CallingWindow? WindowOf(CallRecord call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return call.Config.CallingWindow is { } own && CallingWindow.TryCreate(own.Start, own.End, own.Days, out var window, out _) ? window : null;
    }

    /// <summary>
    /// Null when deadline and calling hours let the call be dialed at <paramref name="at"/>; otherwise the hold (until the
    /// next opening, or until the deadline when the window does not open before it) or the stop (expired; failed when its
    /// zone is unknown or its window never opens).
    /// </summary>
    public SafetyVerdict? Check(CallRecord call, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (call.ExpiresAt is { } deadline && at >= deadline)
        {
            return SafetyVerdict.Stop(SafetyRule.Deadline, CallStatus.Expired, $"Expired: not placed before its expires_at ({Format(deadline)})");
        }

        var lookup = Locate(call);
        if (lookup.Location is not { } callee)
        {
            // Stored before the rule, or its zone data changed: never dialed "anywhere, any time".
            return SafetyVerdict.Stop(SafetyRule.CallingHours, CallStatus.Failed, $"Not dialed: {lookup.Error}");
        }

        var decision = hours.Check(callee, WindowOf(call), at);
        if (decision.IsOpen)
        {
            return null;
        }

        if (call.ExpiresAt is { } expiresAt && (decision.OpensAt is null || decision.OpensAt >= expiresAt))
        {
            return SafetyVerdict.Hold(
                SafetyRule.CallingHours,
                expiresAt,
                $"{ClosedPart(decision.Reason)}: its calling hours do not open again before its expires_at, so it expires at {Format(expiresAt)}");
        }

        return decision.OpensAt is { } opensAt
            ? SafetyVerdict.Hold(SafetyRule.CallingHours, opensAt, decision.Reason!)
            : SafetyVerdict.Stop(SafetyRule.CallingHours, CallStatus.Failed, $"Not dialed: {decision.Reason} (check call_config.calling_window and CALLING_DAYS)");
    }

    /// <summary>
    /// When a retry due at <paramref name="due"/> may be dialed: <paramref name="due"/> itself, the next opening of the
    /// call's calling hours after it, or null when that is at or past its deadline (no retry is scheduled past it).
    /// </summary>
    public DateTimeOffset? RetryAt(CallRecord call, DateTimeOffset due)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (call.ExpiresAt is { } deadline && due >= deadline)
        {
            return null;
        }

        if (Locate(call) is not { Location: { } callee })
        {
            return due;
        }

        var opening = hours.NextOpening(callee, WindowOf(call), due, call.ExpiresAt);
        return opening ?? (call.ExpiresAt is null ? due : null);
    }

    /// <summary>The law's cap on attempts to one person per rolling 24 h for one campaign (FL, OK: 3), when legal hours are on; else null.</summary>
    public int? LegalCampaignCap(CallRecord call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return hours.Policy.LegalHours && Locate(call) is { Location: { } callee } ? LegalCallingHours.For(callee.Place)?.MaxCallsPer24Hours : null;
    }

    public static string Format(DateTimeOffset at) => at.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);

    // "Outside calling hours in X (window): dials from …" → "Outside calling hours in X (window)".
    private static string ClosedPart(string? reason)
    {
        var text = reason ?? "Outside calling hours";
        var colon = text.IndexOf("): ", StringComparison.Ordinal);
        return colon < 0 ? text : text[..(colon + 1)];
    }
}
