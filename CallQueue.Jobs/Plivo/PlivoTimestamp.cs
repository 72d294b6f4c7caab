using System.Globalization;

namespace CallQueue.Jobs.Plivo;

/// <summary>
/// Parses Plivo's timestamps: CDR fields like <c>2017-05-22 17:49:40+05:30</c> and callback fields like
/// <c>2020-04-08 11:34:33</c> or <c>2020-04-08 11:34:33.238707</c>. A timestamp without an offset is taken as UTC.
/// </summary>
public static class PlivoTimestamp
{
    public static bool TryParse(string? value, out DateTimeOffset timestamp)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            timestamp = default;
            return false;
        }

        return DateTimeOffset.TryParse(
            value.Trim(),
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces,
            out timestamp);
    }

    public static DateTimeOffset? ParseOrNull(string? value) => TryParse(value, out var timestamp) ? timestamp : null;
}
