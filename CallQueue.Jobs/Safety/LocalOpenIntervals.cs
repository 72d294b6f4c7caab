using NodaTime;
using NodaTime.TimeZones;
using NodaTime.Utility;

namespace CallQueue.Jobs.Safety;

/// <summary>
/// A window's open stretches in one zone as instants. On a DST night a window edge stays on the local clock; where the
/// local time is skipped (spring forward) the edge moves to the first instant after the gap, and where it happens twice
/// (fall back) a window opens at the later and closes at the earlier of the two: the safe side both times.
/// </summary>
internal static class LocalOpenIntervals
{
    private static readonly ZoneLocalMappingResolver OpenResolver =
        Resolvers.CreateMappingResolver(Resolvers.ReturnLater, Resolvers.ReturnStartOfIntervalAfter);

    private static readonly ZoneLocalMappingResolver CloseResolver =
        Resolvers.CreateMappingResolver(Resolvers.ReturnEarlier, Resolvers.ReturnStartOfIntervalAfter);

    /// <summary>Every open stretch of the local days that overlap [from, to], sorted.</summary>
    public static List<OpenInterval> For(DateTimeZone zone, CallingWindow window, RestrictedDates restricted, Instant from, Instant to)
    {
        var intervals = new List<OpenInterval>();
        var last = to.InZone(zone).Date;
        for (var date = from.InZone(zone).Date.PlusDays(-1); date <= last; date = date.PlusDays(1))
        {
            if (restricted.Contains(date.ToDateOnly()) || window.HoursOn(BclConversions.ToDayOfWeek(date.DayOfWeek)) is not { } hours)
            {
                continue;
            }

            var start = zone.ResolveLocal(date + LocalTime.FromMinutesSinceMidnight(hours.StartMinute), OpenResolver).ToInstant();
            var end = hours.EndMinute == DailyHours.MinutesPerDay
                ? zone.AtStartOfDay(date.PlusDays(1)).ToInstant()
                : zone.ResolveLocal(date + LocalTime.FromMinutesSinceMidnight(hours.EndMinute), CloseResolver).ToInstant();
            if (start < end)
            {
                intervals.Add(new OpenInterval(start, end));
            }
        }

        return intervals;
    }
}
