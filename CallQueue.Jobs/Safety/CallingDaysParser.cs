namespace CallQueue.Jobs.Safety;

/// <summary>Reads and writes <see cref="CallingDays"/>: three-letter English day names, lists and Monday-first ranges.</summary>
public static class CallingDaysParser
{
    // Monday first: "mon-sun" is the whole week, "fri-mon" (wrapping) is refused rather than guessed.
    private static readonly string[] Names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    /// <summary>"mon-sun", "mon-fri", "mon,wed,fri", "mon-fri,sun" (case-insensitive, blanks ignored).</summary>
    public static bool TryParse(string? text, out CallingDays days)
    {
        days = CallingDays.None;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        foreach (var item in text.Split(','))
        {
            var range = item.Split('-', '–');
            if (range.Length > 2)
            {
                return false;
            }

            var first = Array.IndexOf(Names, range[0].Trim().ToLowerInvariant());
            var last = range.Length == 2 ? Array.IndexOf(Names, range[1].Trim().ToLowerInvariant()) : first;
            if (first < 0 || last < first)
            {
                return false;
            }

            for (var index = first; index <= last; index++)
            {
                days |= FromIndex(index);
            }
        }

        return true;
    }

    /// <summary>A list of single day names, as in call_config.calling_window.days (["mon","tue"]).</summary>
    public static bool TryParse(IEnumerable<string?> names, out CallingDays days)
    {
        ArgumentNullException.ThrowIfNull(names);
        days = CallingDays.None;
        foreach (var name in names)
        {
            if (name is null || name.IndexOfAny([',', '-', '–']) >= 0 || !TryParse(name, out var day))
            {
                days = CallingDays.None;
                return false;
            }

            days |= day;
        }

        return days != CallingDays.None;
    }

    public static bool Contains(this CallingDays days, DayOfWeek day) => (days & From(day)) != 0;

    public static CallingDays From(DayOfWeek day) => FromIndex(((int)day + 6) % 7);

    /// <summary>Monday-first day names: "Mon", "Tue", …</summary>
    public static string ShortName(DayOfWeek day) => char.ToUpperInvariant(Names[((int)day + 6) % 7][0]) + Names[((int)day + 6) % 7][1..];

    private static CallingDays FromIndex(int mondayFirstIndex) => (CallingDays)(1 << mondayFirstIndex);
}
