namespace CallQueue.Api.Diagnostics;

/// <summary>
/// The fixes the check verb prints, named after the seed's four common problems (MIGRATION_GUIDE.md, Troubleshooting):
/// "Plivo credentials not found", "Agent server unreachable", "Redis connection failed" and wrong configuration.
/// </summary>
public static class CheckFixes
{
    public const string PlivoCredentials =
        "Plivo credentials not found or not accepted: export PLIVO_AUTH_ID=your_auth_id PLIVO_AUTH_TOKEN=your_auth_token "
        + "(or set them in .env; PLIVO_MODE=sandbox for a rehearsal without real calls)";

    public const string Redis = "Start Redis (redis-server) or fix REDIS_URL (redis://[:password@]host:port[/db])";

    public const string WrongConfig =
        "wrong config: correct the variable named above in .env or the environment (every setting with its default: appsettings.json, env.example)";

    public const string FixAboveFirst = "fix the FAIL lines above first, then run the check again";

    /// <summary>The seed's fix for "Agent server unreachable", with the URL that failed when there is one.</summary>
    public static string Agent(string? url) => url is null
        ? "curl http://localhost:8765/health; export AGENT_SERVER_URL=http://localhost:8765 (your agent server's base URL)"
        : $"start the agent server or fix its URL: curl {url.TrimEnd('/')}/health; export AGENT_SERVER_URL=<the agent server's base URL, e.g. http://localhost:8765>";

    /// <summary>The fix for one configuration failure line of the service's own options validation.</summary>
    public static string ForConfigurationFailure(string failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (failure.Contains("Plivo credentials not found", StringComparison.Ordinal))
        {
            return PlivoCredentials;
        }

        if (failure.Contains("Redis connection failed", StringComparison.Ordinal) || failure.Contains("REDIS_URL", StringComparison.Ordinal))
        {
            return Redis;
        }

        return failure.Contains("AGENT_SERVER_URL", StringComparison.Ordinal) ? Agent(null) : WrongConfig;
    }
}
