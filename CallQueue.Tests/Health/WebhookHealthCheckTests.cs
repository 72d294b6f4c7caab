using CallQueue.Api.Health;
using CallQueue.Jobs.Webhooks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using HealthStatus = Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus;

namespace CallQueue.Tests.Health;

[TestFixture]
[Category("Unit")]
[Parallelizable(ParallelScope.All)]
public sealed class WebhookHealthCheckTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task CheckHealthAsync_NoEndpointGone_IsHealthy()
    {
        var result = await new WebhookHealthCheck(new InMemoryWebhookOutbox(new FakeTimeProvider(Now))).CheckHealthAsync(new HealthCheckContext());

        Assert.That(result.Status, Is.EqualTo(HealthStatus.Healthy));
    }

    [Test]
    public async Task CheckHealthAsync_EndpointsAnswered410_IsDegradedNamingEachAndSinceWhen()
    {
        var outbox = new InMemoryWebhookOutbox(new FakeTimeProvider(Now));
        await outbox.MarkGoneAsync("https://backend.example.com/hooks?token=secret", Now, CancellationToken.None);
        await outbox.MarkGoneAsync("https://other.example.com/in", Now.AddMinutes(5), CancellationToken.None);

        var result = await new WebhookHealthCheck(outbox).CheckHealthAsync(new HealthCheckContext());

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(HealthStatus.Degraded));
            Assert.That(result.Description, Is.EqualTo(
                "Backend endpoint https://backend.example.com/hooks answered 410 Gone at 2026-12-07 10:00:00 UTC: webhook delivery to it stopped; "
                + "Backend endpoint https://other.example.com/in answered 410 Gone at 2026-12-07 10:05:00 UTC: webhook delivery to it stopped"));
        });
    }

    [Test]
    public async Task CheckHealthAsync_NoOutboxInTheProcess_IsHealthy()
    {
        var result = await new WebhookHealthCheck(null).CheckHealthAsync(new HealthCheckContext());

        Assert.That(result.Status, Is.EqualTo(HealthStatus.Healthy));
    }
}
