using System.Globalization;
using NodaTime;

namespace CallQueue.Jobs.Safety;

/// <summary>
/// The calling-hours decision, pure: the callee's zones (every one must be inside), the deployment's window, the law's
/// window for the callee's place, the call's own window (which can only narrow) and the restricted dates give either
/// "open now" or the next opening with a reason ("Outside calling hours in Asia/Kolkata (09:00–21:00): dials from
/// 2026-12-07 09:00 +05:30"). Nothing is dialed "anywhere, any time": no opening within the horizon is a closed door.
/// </summary>
public sealed class CallingHours
{
    /// <summary>How far ahead an opening is looked for when no deadline is given.</summary>
    public static readonly TimeSpan DefaultHorizon = TimeSpan.FromDays(14);

    private readonly TimeProvider _timeProvider;

    public CallingHours(CallingHoursPolicy policy, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(timeProvider);
        Policy = policy;
        _timeProvider = timeProvider;
    }

    public CallingHoursPolicy Policy { get; }

    /// <summary>The deployment's window narrowed by the law's (for <paramref name="place"/>, unless LEGAL_CALLING_HOURS=off) and the call's.</summary>
    public CallingWindow EffectiveWindow(CalleePlace place, CallingWindow? callWindow = null)
    {
        ArgumentNullException.ThrowIfNull(place);
        var window = Policy.DeploymentWindow;
        if (Policy.LegalHours && LegalCallingHours.For(place) is { } legal)
        {
            window = window.Intersect(legal.Window);
        }

        return callWindow is null ? window : window.Intersect(callWindow);
    }

    /// <summary><see cref="Check"/> at the clock's now.</summary>
    public CallingHoursDecision CheckNow(CalleeLocation callee, CallingWindow? callWindow = null) =>
        Check(callee, callWindow, _timeProvider.GetUtcNow());

    /// <summary>Open at <paramref name="now"/>, or closed with the next opening within <see cref="DefaultHorizon"/> and the reason.</summary>
    public CallingHoursDecision Check(CalleeLocation callee, CallingWindow? callWindow, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(callee);
        var window = EffectiveWindow(callee.Place, callWindow);
        var (opening, zone) = Find(callee, window, now, now + DefaultHorizon);
        if (opening == now)
        {
            return CallingHoursDecision.Open;
        }

        var where = $"Outside calling hours in {zone.Id} ({window})";
        if (opening is not { } opensAt)
        {
            return new CallingHoursDecision(false, null, $"{where}: no opening within {DefaultHorizon.TotalDays:0} days");
        }

        var local = Instant.FromDateTimeOffset(opensAt).InZone(zone).ToDateTimeOffset();
        return new CallingHoursDecision(
            false, opensAt, $"{where}: dials from {local.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture)}");
    }

    /// <summary>
    /// The first instant at or after <paramref name="at"/> when every zone of the callee is inside the window (a retry
    /// that would fall outside moves there), or null when there is none by <paramref name="notAfter"/> (default: at +
    /// <see cref="DefaultHorizon"/>; a deadline: "never opens before it").
    /// </summary>
    public DateTimeOffset? NextOpening(CalleeLocation callee, CallingWindow? callWindow, DateTimeOffset at, DateTimeOffset? notAfter = null)
    {
        ArgumentNullException.ThrowIfNull(callee);
        return Find(callee, EffectiveWindow(callee.Place, callWindow), at, notAfter ?? at + DefaultHorizon).Opening;
    }

    // The opening, and the zone it is the opening of (the last zone to open), to name in the reason.
    private (DateTimeOffset? Opening, DateTimeZone Zone) Find(CalleeLocation callee, CallingWindow window, DateTimeOffset at, DateTimeOffset notAfter)
    {
        if (callee.Zones.Count == 0)
        {
            throw new ArgumentException("A callee needs at least one time zone (an unknown zone is refused, never dialed).", nameof(callee));
        }

        var from = Instant.FromDateTimeOffset(at);
        var to = Instant.FromDateTimeOffset(notAfter);
        var perZone = callee.Zones.Select(zone => LocalOpenIntervals.For(zone, window, Policy.RestrictedDates, from, to)).ToList();
        var open = perZone.Aggregate(OpenInterval.Intersect);
        foreach (var interval in open)
        {
            if (interval.End <= from)
            {
                continue;
            }

            var opening = Instant.Max(interval.Start, from);
            if (opening > to)
            {
                break;
            }

            var index = perZone.FindIndex(intervals => intervals.Exists(own => own.Start == opening));
            return (opening.ToDateTimeOffset(), callee.Zones[Math.Max(index, 0)]);
        }

        return (null, callee.Zones[0]);
    }
}
