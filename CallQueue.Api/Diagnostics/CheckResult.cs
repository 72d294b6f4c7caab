namespace CallQueue.Api.Diagnostics;

public enum CheckStatus
{
    Pass,
    Warn,
    Fail,
}

/// <summary>
/// One line of the check verb's report: <c>PASS|WARN|FAIL name: what | fix: how</c>. A failure always carries its fix; a
/// warning may carry a hint. Never put a secret or an unmasked phone number in a message.
/// </summary>
public sealed record CheckResult(CheckStatus Status, string Name, string Message, string? Fix = null)
{
    public static CheckResult Pass(string name, string message) => new(CheckStatus.Pass, name, message);

    public static CheckResult Warn(string name, string message, string? hint = null) => new(CheckStatus.Warn, name, message, hint);

    public static CheckResult Fail(string name, string message, string fix) => new(CheckStatus.Fail, name, message, fix);

    public string Label => Status switch
    {
        CheckStatus.Pass => "PASS",
        CheckStatus.Warn => "WARN",
        _ => "FAIL",
    };

    /// <summary>The report line, e.g. <c>FAIL redis: Redis connection failed: … | fix: Start Redis (redis-server) or fix REDIS_URL</c>.</summary>
    public string Format()
    {
        var line = $"{Label} {Name}: {Message}";
        return Fix is null ? line : line + (Status == CheckStatus.Fail ? " | fix: " : " | hint: ") + Fix;
    }
}
