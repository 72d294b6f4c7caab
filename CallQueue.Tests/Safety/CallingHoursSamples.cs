using System.Globalization;
using CallQueue.Jobs.Safety;

namespace CallQueue.Tests.Safety;

/// <summary>Engines with given settings, callees by number, fixed instants. 2026-12-07 is a Monday.</summary>
internal static class CallingHoursSamples
{
    public const string IndianMobile = "+919876543210";
    public const string NewYork = "+12127365000";
    public const string Tallahassee = "+18502220000";
    public const string Alaska = "+19075551234";
    public const string Phoenix = "+14805550000";
    public const string TollFree = "+18005550199";

    public static CallingHours Engine(
        string? hours = null, string? days = null, string? restrictedDates = null, string? legal = null, TimeProvider? timeProvider = null)
    {
        var options = new CallingHoursOptions();
        options.CallingHours = hours ?? options.CallingHours;
        options.CallingDays = days ?? options.CallingDays;
        options.RestrictedDates = restrictedDates ?? options.RestrictedDates;
        options.LegalCallingHours = legal ?? options.LegalCallingHours;
        return new CallingHours(CallingHoursPolicy.From(options), timeProvider ?? TimeProvider.System);
    }

    public static CalleeLocation Callee(string phoneNumber, string? timeZone = null)
    {
        var lookup = CalleeLocator.Locate(phoneNumber, timeZone);
        Assert.That(lookup.Error, Is.Null, $"{phoneNumber} should be located");
        return lookup.Location!;
    }

    public static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);

    public static CallingWindow Window(string start, string end, params string[] days)
    {
        Assert.That(CallingWindow.TryCreate(start, end, days, out var window, out var error), Is.True, error);
        return window!;
    }
}
