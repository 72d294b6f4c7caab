using CallQueue.Api.Configuration;
using CallQueue.Jobs.Configuration;
using CallQueue.Jobs.Safety;
using CallQueue.Jobs.Storage;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CallQueue.Api.Hosting;

/// <summary>
/// At start, announces every development default loudly, and stops the process with one clear line when the configured
/// Redis cannot be reached ("Redis connection failed: …"). Not the first hosted service to start: the jobs' own (the
/// Hangfire servers, the Plivo warm-up) are registered before it, so it reports rather than guards them.
/// </summary>
internal sealed partial class StartupChecks(
    IServiceProvider services,
    IOptions<RedisOptions> redis,
    IOptions<PlivoOptions> plivo,
    IOptions<AgentOptions> agent,
    CallSafety safety,
    IOptions<CallingHoursOptions> callingHours,
    ILogger<StartupChecks> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (redis.Value.IsConfigured)
        {
            var url = RedisUrl.Redact(redis.Value.Url!);
            try
            {
                var latency = await services.GetRequiredService<ICallStore>().PingAsync(cancellationToken);
                LogRedis(logger, url, latency.TotalMilliseconds);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                throw new StartupException($"Redis connection failed: {url} ({ex.Message}). Start Redis (redis-server) or fix REDIS_URL.", ex);
            }
        }
        else
        {
            LogInMemory(logger);
        }

        if (plivo.Value.IsSandbox)
        {
            LogSandbox(logger, plivo.Value.ApiUrl ?? string.Empty);
        }
        else
        {
            LogLive(logger, plivo.Value.AuthId ?? string.Empty, plivo.Value.ApiUrl ?? PlivoOptions.DefaultApiUrl, plivo.Value.PublicBaseUrl ?? string.Empty);
        }

        if (!agent.Value.IsConfigured)
        {
            LogNoAgent(logger);
        }

        // Calling hours turned off are said at every start: they are what keeps people from being rung at night.
        var policy = safety.Policy;
        LogCallingHours(logger, policy.DeploymentWindow.ToString(), policy.LegalHours ? "on" : "off");
        if (callingHours.Value.DeploymentHoursOff)
        {
            LogDeploymentHoursOff(logger);
        }

        if (!policy.LegalHours)
        {
            LogLegalHoursOff(logger);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(4001, LogLevel.Information, "Redis: connected to {Url} ({LatencyMs:0.0} ms)")]
    private static partial void LogRedis(ILogger logger, string url, double latencyMs);

    [LoggerMessage(4002, LogLevel.Warning, "DEVELOPMENT DEFAULT: REDIS_URL is not set, so calls and jobs are kept IN MEMORY (Hangfire.InMemory) and LOST on restart. Set REDIS_URL=redis://localhost:6379 to keep them.")]
    private static partial void LogInMemory(ILogger logger);

    [LoggerMessage(4003, LogLevel.Warning, "DEVELOPMENT DEFAULT: no Plivo credentials, so calls go to the built-in PLIVO SANDBOX at {ApiUrl}: NOBODY IS REALLY CALLED. Set PLIVO_AUTH_ID, PLIVO_AUTH_TOKEN and PLIVO_NUMBER to dial for real.")]
    private static partial void LogSandbox(ILogger logger, string apiUrl);

    [LoggerMessage(4004, LogLevel.Information, "Plivo: live account {AuthId} via {ApiUrl}; callbacks to {PublicBaseUrl}")]
    private static partial void LogLive(ILogger logger, string authId, string apiUrl, string publicBaseUrl);

    [LoggerMessage(4005, LogLevel.Warning, "DEVELOPMENT DEFAULT: AGENT_SERVER_URL is not set, so there is no agent gate and no /start-call notifications.")]
    private static partial void LogNoAgent(ILogger logger);

    [LoggerMessage(4006, LogLevel.Information, "Calling hours (callee-local): {Window}; the law's hours: {Legal}")]
    private static partial void LogCallingHours(ILogger logger, string window, string legal);

    [LoggerMessage(4007, LogLevel.Warning, "CALLING_HOURS=off: the deployment's calling hours are OFF; calls are dialed at any hour the law's hours allow. Meant for transactional deployments only.")]
    private static partial void LogDeploymentHoursOff(ILogger logger);

    [LoggerMessage(4008, LogLevel.Warning, "LEGAL_CALLING_HOURS=off: the law's calling hours (TCPA, TRAI, state rules) are NOT enforced; only CALLING_HOURS protects callees.")]
    private static partial void LogLegalHoursOff(ILogger logger);
}
