using System.Globalization;

namespace CallQueue.Jobs.Lifecycle;

/// <summary>Growing delays between attempts: the base delay, doubled per attempt already made, capped.</summary>
public static class RetryDelay
{
    public static TimeSpan Exponential(TimeSpan baseDelay, int attemptsMade, TimeSpan max)
    {
        var factor = Math.Pow(2, Math.Clamp(attemptsMade - 1, 0, 30));
        var delay = TimeSpan.FromSeconds(baseDelay.TotalSeconds * factor);
        return delay < max ? delay : max;
    }

    /// <summary>"30 s", "5 min", "2 h" — for reasons shown to people.</summary>
    public static string Describe(TimeSpan delay) => delay.TotalSeconds switch
    {
        < 120 => string.Create(CultureInfo.InvariantCulture, $"{delay.TotalSeconds:0} s"),
        < 7_200 => string.Create(CultureInfo.InvariantCulture, $"{delay.TotalMinutes:0} min"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{delay.TotalHours:0.#} h"),
    };
}
