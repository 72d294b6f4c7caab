using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CallQueue.Jobs.Webhooks;

public static class WebhookServiceCollectionExtensions
{
    /// <summary>
    /// BACKEND_URL, BACKEND_API_KEY, WEBHOOK_SECRET, WEBHOOK_ALLOWED_HOSTS and WEBHOOK_RETRY_DELAYS as
    /// <see cref="WebhookOptions"/>, validated at start.
    /// </summary>
    public static IServiceCollection AddWebhookOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>();
        return services;
    }
}
