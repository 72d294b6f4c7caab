using Microsoft.Extensions.Options;

namespace CallQueue.Jobs.Safety;

/// <summary>One line per bad variable, naming it (the other options validators' shape).</summary>
internal sealed class CallingHoursOptionsValidator : IValidateOptions<CallingHoursOptions>
{
    public ValidateOptionsResult Validate(string? name, CallingHoursOptions options)
    {
        var failures = new List<string>();
        if (!CallingHoursPolicy.TryParseHours(options.CallingHours, out _))
        {
            failures.Add($"CALLING_HOURS must be HH:mm-HH:mm with the start before the end on one day (e.g. 09:00-21:00; 24:00 allowed), or off (got '{options.CallingHours}')");
        }

        if (!CallingHoursPolicy.TryParseDays(options.CallingDays, out _))
        {
            failures.Add($"CALLING_DAYS must list days as mon-sun, mon-fri or mon,wed,fri (got '{options.CallingDays}')");
        }

        if (!Safety.RestrictedDates.TryParse(options.RestrictedDates, out _, out var invalid))
        {
            failures.Add($"RESTRICTED_DATES must be comma-separated yyyy-MM-dd dates (got '{invalid}')");
        }

        if (!CallingHoursPolicy.TryParseSwitch(options.LegalCallingHours, out _))
        {
            failures.Add($"LEGAL_CALLING_HOURS must be on or off (got '{options.LegalCallingHours}')");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
