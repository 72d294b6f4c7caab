using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CallQueue.Jobs.Webhooks;

public static class WebhookDeliveryServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="DeliverWebhookJob"/> with its typed HttpClient: redirects never followed (a 3xx is a failed
    /// try), no HttpClient timeout (the job applies <see cref="WebhookDeliverySettings.RequestTimeout"/> itself), and no
    /// resilience handler: the job's schedule owns the retries (STYLE.md habit 10). The caller registers
    /// <see cref="IWebhookOutbox"/>, <see cref="IWebhookSigning"/> and <see cref="WebhookDeliverySettings"/>.
    /// </summary>
    public static IHttpClientBuilder AddWebhookDelivery(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        return services
            .AddHttpClient<DeliverWebhookJob>(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
            });
    }

    /// <summary>
    /// Registers <see cref="InMemoryWebhookOutbox"/> as the outbox: for tests and a process without Redis; a production
    /// process with REDIS_URL registers the Redis outbox instead.
    /// </summary>
    public static IServiceCollection AddInMemoryWebhookOutbox(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IWebhookOutbox, InMemoryWebhookOutbox>();
        return services;
    }
}
