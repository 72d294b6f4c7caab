using System.Globalization;
using Microsoft.Extensions.Options;

namespace CallQueue.Jobs.Safety;

/// <summary>One line per bad variable, naming it.</summary>
internal sealed class NumberRulesOptionsValidator : IValidateOptions<NumberRulesOptions>
{
    private const int MaxGapSeconds = 86_400;

    public ValidateOptionsResult Validate(string? name, NumberRulesOptions options)
    {
        var failures = new List<string>();
        if (!CallingHoursPolicy.TryParseSwitch(options.OneCallPerNumber, out _))
        {
            failures.Add($"ONE_CALL_PER_NUMBER must be on or off (got '{options.OneCallPerNumber}')");
        }

        if (options.MinGapSeconds is < 0 or > MaxGapSeconds)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"NUMBER_MIN_GAP_SECONDS must be 0 to {MaxGapSeconds} (got {options.MinGapSeconds})"));
        }

        if (options.MaxAttemptsPerDay < 0)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"MAX_ATTEMPTS_PER_NUMBER_PER_DAY must be 0 (no cap) or more (got {options.MaxAttemptsPerDay})"));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
