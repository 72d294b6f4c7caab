using NodaTime;
using PhoneNumbers;

namespace CallQueue.Jobs.Safety;

/// <summary>
/// A number's place and time zones from libphonenumber's offline data (about 5 µs a lookup once loaded), or the zone
/// given with the call (call_config.timezone), which replaces the mapping: mobile numbers map to where they were
/// assigned, not where the person is. A number whose zone is unknown, or that does not validate, fails closed.
/// </summary>
public static class CalleeLocator
{
    // All three are thread-safe singletons that load their metadata once.
    private static readonly PhoneNumberUtil PhoneUtil = PhoneNumberUtil.GetInstance();
    private static readonly PhoneNumberToTimeZonesMapper TimeZones = PhoneNumberToTimeZonesMapper.GetInstance();
    private static readonly PhoneNumberOfflineGeocoder Geocoder = PhoneNumberOfflineGeocoder.GetInstance();

    public static string InvalidTimeZoneMessage(string? id) =>
        $"{CalleeLookup.TimeZoneField} must be an IANA time zone id such as Asia/Kolkata or America/New_York (got '{id}').";

    // The last lookup per thread: a queued call is located by the validator and again by the calling hours (see
    // PhoneNumberReading); a pure function of its arguments, so the kept answer is the answer.
    [ThreadStatic]
    private static (string PhoneNumber, string? TimeZoneOverride, CalleeLookup Lookup)? t_last;

    /// <summary>The callee of an E.164 number, with <paramref name="timeZoneOverride"/> (an IANA id) replacing the number's zones when given.</summary>
    public static CalleeLookup Locate(string phoneNumber, string? timeZoneOverride = null)
    {
        if (t_last is { } last && string.Equals(last.PhoneNumber, phoneNumber, StringComparison.Ordinal) && string.Equals(last.TimeZoneOverride, timeZoneOverride, StringComparison.Ordinal))
        {
            return last.Lookup;
        }

        var lookup = Lookup(phoneNumber, timeZoneOverride);
        t_last = (phoneNumber, timeZoneOverride, lookup);
        return lookup;
    }

    private static CalleeLookup Lookup(string phoneNumber, string? timeZoneOverride)
    {
        DateTimeZone? overrideZone = null;
        if (timeZoneOverride is not null && (overrideZone = CalleeTimeZones.Find(timeZoneOverride)) is null)
        {
            return CalleeLookup.Failed(InvalidTimeZoneMessage(timeZoneOverride));
        }

        var number = ParseValid(phoneNumber);
        var place = number is null ? CalleePlace.Unknown : PlaceOf(number);
        if (overrideZone is not null)
        {
            return CalleeLookup.Found(new CalleeLocation(place, [overrideZone]));
        }

        // GetTimeZonesForNumber, never the "Geographical" variant: that one answers for invalid numbers too.
        var ids = number is null ? [CalleeTimeZones.UnknownId] : TimeZones.GetTimeZonesForNumber(number);
        var zones = ids.Select(CalleeTimeZones.Find).Distinct().ToList();
        if (zones.Count == 0 || zones.Contains(null))
        {
            return CalleeLookup.Failed(
                $"the time zone of this number is unknown, so its calling hours cannot be checked: give {CalleeLookup.TimeZoneField} (an IANA id such as America/New_York).");
        }

        return CalleeLookup.Found(new CalleeLocation(place, zones!));
    }

    private static PhoneNumber? ParseValid(string phoneNumber) =>
        PhoneNumberReading.Of(phoneNumber) is { IsValid: true, Number: { } number } ? number : null;

    private static CalleePlace PlaceOf(PhoneNumber number)
    {
        var region = PhoneUtil.GetRegionCodeForNumber(number) ?? CalleePlace.Unknown.RegionCode;
        var state = number.CountryCode == 1
            ? UsStates.FromGeocoderDescription(Geocoder.GetDescriptionForValidNumber(number, Locale.English))
            : null;
        return new CalleePlace(region, state);
    }
}
