using Microsoft.Extensions.Configuration;

namespace CallQueue.Jobs.Safety;

/// <summary>One person, one call at a time (issue 11): the rules across campaigns for one phone number. Validated at start.</summary>
public sealed class NumberRulesOptions
{
    public const int DefaultMinGapSeconds = 60;

    /// <summary>ONE_CALL_PER_NUMBER: "on" (default) holds a call while another call to its number is dialing, ringing or in progress.</summary>
    [ConfigurationKeyName("ONE_CALL_PER_NUMBER")]
    public string? OneCallPerNumber { get; set; } = CallingHoursOptions.On;

    /// <summary>NUMBER_MIN_GAP_SECONDS: seconds between the end of one attempt to a number and the next attempt to it, across campaigns. 0 = none.</summary>
    [ConfigurationKeyName("NUMBER_MIN_GAP_SECONDS")]
    public int MinGapSeconds { get; set; } = DefaultMinGapSeconds;

    /// <summary>MAX_ATTEMPTS_PER_NUMBER_PER_DAY: attempts to one number in any rolling 24 h, every campaign together. 0 (default) = no cap.</summary>
    [ConfigurationKeyName("MAX_ATTEMPTS_PER_NUMBER_PER_DAY")]
    public int MaxAttemptsPerDay { get; set; }

    public bool IsOneCallPerNumber => CallingHoursPolicy.TryParseSwitch(OneCallPerNumber, out var on) && on;

    public TimeSpan MinGap => TimeSpan.FromSeconds(MinGapSeconds);
}
