using System.Collections.Frozen;
using System.Globalization;

namespace CallQueue.Jobs.Safety;

/// <summary>Dates with no calls at all, in the callee's local calendar (RESTRICTED_DATES: "2026-12-25,2027-01-01").</summary>
public sealed class RestrictedDates
{
    private readonly FrozenSet<DateOnly> _dates;

    public RestrictedDates(IEnumerable<DateOnly> dates) => _dates = dates.ToFrozenSet();

    public static RestrictedDates None { get; } = new([]);

    public int Count => _dates.Count;

    public bool Contains(DateOnly date) => _dates.Contains(date);

    /// <summary>Comma-separated yyyy-MM-dd dates; empty or blank is no dates. On failure, <paramref name="invalid"/> is the first bad item.</summary>
    public static bool TryParse(string? text, out RestrictedDates dates, out string? invalid)
    {
        dates = None;
        invalid = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var parsed = new List<DateOnly>();
        foreach (var item in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!DateOnly.TryParseExact(item, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                invalid = item;
                return false;
            }

            parsed.Add(date);
        }

        dates = new RestrictedDates(parsed);
        return true;
    }
}
