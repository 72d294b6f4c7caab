using NodaTime;
using NodaTime.TimeZones;

namespace CallQueue.Jobs.Safety;

/// <summary>
/// IANA zone ids to zones. NodaTime rather than <see cref="TimeZoneInfo"/>: it carries its own tzdb, so a callee's hours
/// are the same on every host and do not depend on the image's tzdata (absent on chiseled and slim images, where
/// FindSystemTimeZoneById throws, and as old as the base image otherwise); it maps aliases (Asia/Calcutta) to canonical
/// ids; and it makes the DST gap and overlap explicit (<see cref="CallingHours"/> picks the safe side of each).
/// </summary>
public static class CalleeTimeZones
{
    /// <summary>What libphonenumber answers for a number it cannot place: never "anywhere, any time" (fail closed).</summary>
    public const string UnknownId = "Etc/Unknown";

    private static readonly TzdbDateTimeZoneSource Source = TzdbDateTimeZoneSource.Default;

    /// <summary>The zone for an IANA id (aliases resolved to their canonical zone: Asia/Calcutta is Asia/Kolkata), or null for Etc/Unknown and unknown ids.</summary>
    public static DateTimeZone? Find(string? id)
    {
        if (string.IsNullOrWhiteSpace(id) || string.Equals(id, UnknownId, StringComparison.Ordinal))
        {
            return null;
        }

        return Source.CanonicalIdMap.TryGetValue(id.Trim(), out var canonical)
            ? DateTimeZoneProviders.Tzdb.GetZoneOrNull(canonical)
            : null;
    }

    /// <summary>True for an IANA id this build knows (the check behind call_config.timezone).</summary>
    public static bool IsValid(string? id) => Find(id) is not null;
}
