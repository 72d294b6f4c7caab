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

    /// <summary>
    /// Everything but the outbox's storage (registered with the call store): the options, which events a change causes
    /// and where they go (a call's webhook_url, else BACKEND_URL; none while BACKEND_URL is unset), signing with
    /// WEBHOOK_SECRET, the delivery job and its settings, the dispatcher and the sweep.
    /// </summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddWebhookOptions(configuration);
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<WebhookOptions>>().Value;
            var backend = options.BackendUrl?.ToString();
            return backend is null ? CallWebhookEvents.None : new CallWebhookEvents(call => call.Config.WebhookUrl ?? backend);
        });
        services.AddSingleton<IWebhookSigning, SecretWebhookSigning>();
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<WebhookOptions>>().Value;
            return new WebhookDeliverySettings(options.ApiKey, options.RetryDelays);
        });
        services.AddWebhookDelivery();
        services.AddTransient<IWebhookDispatcher, WebhookDispatcher>();
        services.AddTransient<WebhookSweepJob>();
        return services;
    }
}
