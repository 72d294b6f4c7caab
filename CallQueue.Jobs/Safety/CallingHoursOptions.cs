using CallQueue.Jobs.Configuration;
using Microsoft.Extensions.Configuration;

namespace CallQueue.Jobs.Safety;

/// <summary>
/// Calling hours in the callee's local time (issue 11). Validated at start (<see cref="CallingHoursOptionsValidator"/>)
/// and turned into a <see cref="CallingHoursPolicy"/>. Empty values mean the default.
/// </summary>
public sealed class CallingHoursOptions
{
    public const string Off = "off";
    public const string On = "on";
    public const string DefaultCallingHours = "09:00-21:00";
    public const string DefaultCallingDays = "mon-sun";

    /// <summary>
    /// CALLING_HOURS: the deployment's hours for every call, HH:mm-HH:mm, half-open (21:00 is closed), same day (24:00
    /// allowed). Default 09:00-21:00; "off" for transactional deployments (legal hours still apply).
    /// </summary>
    [ConfigurationKeyName("CALLING_HOURS")]
    public string? CallingHours { get; set; } = DefaultCallingHours;

    /// <summary>CALLING_DAYS: days the deployment calls: "mon-sun", "mon-fri", "mon,wed,fri". Default mon-sun. Still applies with CALLING_HOURS=off.</summary>
    [ConfigurationKeyName("CALLING_DAYS")]
    public string? CallingDays { get; set; } = DefaultCallingDays;

    /// <summary>RESTRICTED_DATES: comma-separated yyyy-MM-dd dates (callee-local) with no calls at all. Default none.</summary>
    [ConfigurationKeyName("RESTRICTED_DATES")]
    public string? RestrictedDates { get; set; }

    /// <summary>LEGAL_CALLING_HOURS: "on" (default) narrows every call to the law's hours for the callee's place; "off" drops them.</summary>
    [ConfigurationKeyName("LEGAL_CALLING_HOURS")]
    public string? LegalCallingHours { get; set; } = On;

    /// <summary>CALLING_HOURS=off (the deployment's hours off; the law's still apply unless LEGAL_CALLING_HOURS=off).</summary>
    public bool DeploymentHoursOff => string.Equals(OptionsText.Normalize(CallingHours), Off, StringComparison.OrdinalIgnoreCase);
}
