using System.Globalization;
using CallQueue.Jobs.Webhooks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CallQueue.Api.Health;

/// <summary>
/// Webhook delivery (issue 13): degraded while an endpoint that answered 410 Gone gets nothing more, naming each such
/// endpoint and since when, so an operator sees that the backend stopped hearing of calls. The outbox's own
/// availability is the storage check's concern. Without an outbox in this process (webhooks not set up) it is healthy.
/// </summary>
internal sealed class WebhookHealthCheck(IWebhookOutbox? outbox) : IHealthCheck
{
    /// <summary>The check as the host registers it: with the outbox when one is registered.</summary>
    public static WebhookHealthCheck Create(IServiceProvider services) => new(services.GetService<IWebhookOutbox>());

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (outbox is null)
        {
            return HealthResults.Healthy("webhooks are not set up in this process");
        }

        var gone = await outbox.GetGoneAsync(cancellationToken);
        if (gone.Count == 0)
        {
            return HealthResults.Healthy("no endpoint refused webhooks (410 Gone)");
        }

        var stopped = gone.OrderBy(endpoint => endpoint.Value).Select(endpoint => string.Create(
            CultureInfo.InvariantCulture,
            $"Backend endpoint {DeliveryTarget.Describe(endpoint.Key)} answered 410 Gone at {endpoint.Value.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC: webhook delivery to it stopped"));
        return HealthResults.Degraded(string.Join("; ", stopped));
    }
}
