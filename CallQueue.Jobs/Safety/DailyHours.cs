using System.Globalization;

namespace CallQueue.Jobs.Safety;

/// <summary>
/// A half-open range of minutes of one local day, [start, end): 09:00-21:00 allows 09:00 and 20:59, not 21:00. Never
/// crosses midnight; an end of 24:00 means "to the end of the day".
/// </summary>
public readonly record struct DailyHours
{
    public const int MinutesPerDay = 24 * 60;

    public DailyHours(int startMinute, int endMinute)
    {
        if (startMinute < 0 || endMinute > MinutesPerDay || startMinute >= endMinute)
        {
            throw new ArgumentOutOfRangeException(nameof(endMinute), $"Calling hours need 0 <= start < end <= 1440 minutes (got {startMinute}-{endMinute}).");
        }

        StartMinute = startMinute;
        EndMinute = endMinute;
    }

    public static DailyHours AllDay { get; } = new(0, MinutesPerDay);

    public int StartMinute { get; }

    public int EndMinute { get; }

    public static DailyHours From(int startHour, int endHour) => new(startHour * 60, endHour * 60);

    /// <summary>"09:00-21:00" (a hyphen or an en dash). The end must be after the start; 24:00 is the end of the day.</summary>
    public static bool TryParse(string? text, out DailyHours hours)
    {
        hours = default;
        var parts = text?.Split('-', '–') ?? [];
        if (parts.Length != 2 || !TryParseTime(parts[0], out var start) || !TryParseTime(parts[1], out var end) || start >= end)
        {
            return false;
        }

        hours = new DailyHours(start, end);
        return true;
    }

    /// <summary>"HH:mm", 00:00 to 24:00, as minutes of the day.</summary>
    public static bool TryParseTime(string? text, out int minute)
    {
        minute = 0;
        var value = text?.Trim() ?? "";
        if (value.Length != 5 || value[2] != ':'
            || !int.TryParse(value.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hour)
            || !int.TryParse(value.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)
            || minutes > 59 || hour > 24 || (hour == 24 && minutes != 0))
        {
            return false;
        }

        minute = (hour * 60) + minutes;
        return true;
    }

    /// <summary>The minutes both allow, or null when they do not overlap.</summary>
    public DailyHours? Intersect(DailyHours other)
    {
        var start = Math.Max(StartMinute, other.StartMinute);
        var end = Math.Min(EndMinute, other.EndMinute);
        return start < end ? new DailyHours(start, end) : null;
    }

    /// <summary>"09:00–21:00" (en dash, as in the call's status reason).</summary>
    public override string ToString() => $"{Format(StartMinute)}–{Format(EndMinute)}";

    private static string Format(int minute) =>
        string.Create(CultureInfo.InvariantCulture, $"{minute / 60:00}:{minute % 60:00}");
}
