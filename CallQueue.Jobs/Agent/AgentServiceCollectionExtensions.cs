using Microsoft.Extensions.DependencyInjection;

namespace CallQueue.Jobs.Agent;

public static class AgentServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="NotifyAgentJob"/> (and <see cref="NotifyAgentJobFactory"/>, which creates it) with its typed HttpClient (timeout <see cref="NotifyAgentJob.RequestTimeout"/>).
    /// No resilience handler: the job owns its few retries, and Hangfire's AutomaticRetry the rest (STYLE.md habit 10).
    /// AgentOptions must be configured by the caller (AddCallQueueJobs does).
    /// </summary>
    public static IServiceCollection AddAgentHandoff(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddHttpClient<NotifyAgentJob>(client => client.Timeout = NotifyAgentJob.RequestTimeout);
        services.AddTransient<NotifyAgentJobFactory>();
        return services;
    }
}
