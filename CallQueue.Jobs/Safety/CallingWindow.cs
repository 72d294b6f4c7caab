namespace CallQueue.Jobs.Safety;

/// <summary>
/// When calls are allowed in the callee's local time: at most one half-open range of minutes per weekday (none = no
/// calls that day). Windows only ever narrow each other (<see cref="Intersect"/>): a call's own window cannot widen the
/// deployment's or the law's.
/// </summary>
public sealed class CallingWindow
{
    private static readonly DayOfWeek[] MondayFirst =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    // Indexed by DayOfWeek (Sunday = 0).
    private readonly DailyHours?[] _days;

    private CallingWindow(DailyHours?[] days) => _days = days;

    /// <summary>Any minute of any day (what "off" leaves).</summary>
    public static CallingWindow Always { get; } = Every(DailyHours.AllDay, CallingDays.Every);

    public static CallingWindow Every(DailyHours hours, CallingDays days)
    {
        var byDay = new DailyHours?[7];
        foreach (var day in MondayFirst)
        {
            byDay[(int)day] = days.Contains(day) ? hours : null;
        }

        return new CallingWindow(byDay);
    }

    /// <summary>The window of a call (call_config.calling_window): "10:00", "18:00", ["mon", …] (no days = every day).</summary>
    public static bool TryCreate(string? start, string? end, IReadOnlyCollection<string?>? days, out CallingWindow? window, out string? error)
    {
        window = null;
        if (!DailyHours.TryParseTime(start, out var startMinute) || !DailyHours.TryParseTime(end, out var endMinute) || startMinute >= endMinute)
        {
            error = "start and end must be HH:mm times with start before end on the same day (24:00 is the end of the day), e.g. 10:00 and 18:00";
            return false;
        }

        var allowed = CallingDays.Every;
        if (days is { Count: > 0 } && !CallingDaysParser.TryParse(days, out allowed))
        {
            error = "days must list day names mon, tue, wed, thu, fri, sat, sun";
            return false;
        }

        error = null;
        window = Every(new DailyHours(startMinute, endMinute), allowed);
        return true;
    }

    public DailyHours? HoursOn(DayOfWeek day) => _days[(int)day];

    public bool IsNever => _days.All(hours => hours is null);

    /// <summary>A window with a day's hours replaced (the law's Saturday hours, say).</summary>
    public CallingWindow With(DayOfWeek day, DailyHours? hours)
    {
        var days = (DailyHours?[])_days.Clone();
        days[(int)day] = hours;
        return new CallingWindow(days);
    }

    /// <summary>Minutes both windows allow.</summary>
    public CallingWindow Intersect(CallingWindow other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var days = new DailyHours?[7];
        for (var day = 0; day < 7; day++)
        {
            days[day] = _days[day] is { } mine && other._days[day] is { } theirs ? mine.Intersect(theirs) : null;
        }

        return new CallingWindow(days);
    }

    /// <summary>
    /// "09:00–21:00" when every day has the same hours; "08:00–20:00 Mon–Sat" (or "10:00–18:00 Mon, Fri") when the
    /// other days have none; otherwise each run of days with its hours: "Mon–Fri 09:00–20:00, Sat 09:00–17:00".
    /// "never" when no day has any.
    /// </summary>
    public override string ToString()
    {
        var runs = new List<(DayOfWeek First, DayOfWeek Last, DailyHours Hours)>();
        foreach (var day in MondayFirst)
        {
            if (_days[(int)day] is not { } hours)
            {
                continue;
            }

            if (runs.Count > 0 && runs[^1].Hours == hours && NextDay(runs[^1].Last) == day)
            {
                runs[^1] = (runs[^1].First, day, hours);
            }
            else
            {
                runs.Add((day, day, hours));
            }
        }

        if (runs.Count == 0)
        {
            return "never";
        }

        var same = runs[0].Hours;
        if (runs.TrueForAll(run => run.Hours == same))
        {
            return runs is [{ First: DayOfWeek.Monday, Last: DayOfWeek.Sunday }]
                ? same.ToString()
                : $"{same} {string.Join(", ", runs.Select(run => Days(run.First, run.Last)))}";
        }

        return string.Join(", ", runs.Select(run => $"{Days(run.First, run.Last)} {run.Hours}"));
    }

    private static DayOfWeek NextDay(DayOfWeek day) => (DayOfWeek)(((int)day + 1) % 7);

    private static string Days(DayOfWeek first, DayOfWeek last) =>
        first == last ? CallingDaysParser.ShortName(first) : $"{CallingDaysParser.ShortName(first)}–{CallingDaysParser.ShortName(last)}";
}
