using CallQueue.Jobs.Configuration;

namespace CallQueue.Jobs.Safety;

/// <summary>The deployment's side of calling hours, parsed from <see cref="CallingHoursOptions"/>.</summary>
/// <param name="DeploymentWindow">CALLING_HOURS on CALLING_DAYS (with CALLING_HOURS=off: all day on CALLING_DAYS).</param>
/// <param name="LegalHours">LEGAL_CALLING_HOURS: whether the law's hours for the callee's place narrow the window.</param>
/// <param name="RestrictedDates">RESTRICTED_DATES, callee-local.</param>
public sealed record CallingHoursPolicy(CallingWindow DeploymentWindow, bool LegalHours, RestrictedDates RestrictedDates)
{
    /// <summary>The defaults: 09:00–21:00 every day, legal hours on, no restricted dates.</summary>
    public static CallingHoursPolicy Default { get; } = From(new CallingHoursOptions());

    /// <summary>The policy of validated options (throws on values the validator refuses).</summary>
    public static CallingHoursPolicy From(CallingHoursOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!TryParseHours(options.CallingHours, out var hours)
            || !TryParseDays(options.CallingDays, out var days)
            || !RestrictedDates.TryParse(options.RestrictedDates, out var dates, out _)
            || !TryParseSwitch(options.LegalCallingHours, out var legal))
        {
            throw new ArgumentException("Calling-hours options are invalid; CallingHoursOptionsValidator names the variable.", nameof(options));
        }

        return new CallingHoursPolicy(CallingWindow.Every(hours ?? DailyHours.AllDay, days), legal, dates);
    }

    /// <summary>CALLING_HOURS: null hours for "off"; empty means the default.</summary>
    internal static bool TryParseHours(string? text, out DailyHours? hours)
    {
        var value = OptionsText.Normalize(text) ?? CallingHoursOptions.DefaultCallingHours;
        hours = null;
        if (string.Equals(value, CallingHoursOptions.Off, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!DailyHours.TryParse(value, out var parsed))
        {
            return false;
        }

        hours = parsed;
        return true;
    }

    internal static bool TryParseDays(string? text, out CallingDays days) =>
        CallingDaysParser.TryParse(OptionsText.Normalize(text) ?? CallingHoursOptions.DefaultCallingDays, out days);

    internal static bool TryParseSwitch(string? text, out bool on)
    {
        var value = OptionsText.Normalize(text) ?? CallingHoursOptions.On;
        on = string.Equals(value, CallingHoursOptions.On, StringComparison.OrdinalIgnoreCase);
        return on || string.Equals(value, CallingHoursOptions.Off, StringComparison.OrdinalIgnoreCase);
    }
}
