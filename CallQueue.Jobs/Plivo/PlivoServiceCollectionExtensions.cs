using Microsoft.Extensions.DependencyInjection;

namespace CallQueue.Jobs.Plivo;

public static class PlivoServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IPlivoClient"/> as a typed HttpClient. Deliberately no resilience handler: a make-call POST
    /// must never be retried below Hangfire (STYLE.md habit 10). HttpClient.Timeout is off because
    /// <see cref="PlivoClient"/> applies PLIVO_TIMEOUT_SECONDS itself. PlivoOptions must be configured by the caller.
    /// </summary>
    public static IHttpClientBuilder AddPlivoClient(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddHttpClient<IPlivoClient, PlivoClient>(client => client.Timeout = Timeout.InfiniteTimeSpan);
    }
}
