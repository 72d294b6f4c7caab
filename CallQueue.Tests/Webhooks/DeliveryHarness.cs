using CallQueue.Jobs.Webhooks;
using CallQueue.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CallQueue.Tests.Webhooks;

/// <summary>
/// <see cref="DeliverWebhookJob"/> as the host builds it (<see cref="WebhookDeliveryServiceCollectionExtensions.AddWebhookDelivery"/>:
/// its typed HttpClient and handler), over an <see cref="InMemoryWebhookOutbox"/>, a fake clock, a signer that shows
/// what it signed, and a real receiver on loopback.
/// </summary>
internal sealed class DeliveryHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services;

    private DeliveryHarness(FakeWebhookReceiver receiver, WebhookDeliverySettings settings)
    {
        Receiver = receiver;
        Outbox = new InMemoryWebhookOutbox(Time);
        _services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(Time)
            .AddSingleton<IWebhookOutbox>(Outbox)
            .AddSingleton<IWebhookSigning, ShowingSigner>()
            .AddSingleton(settings)
            .AddWebhookDelivery()
            .Services
            .BuildServiceProvider();
    }

    public FakeTimeProvider Time { get; } = new(Now);

    public InMemoryWebhookOutbox Outbox { get; }

    public FakeWebhookReceiver Receiver { get; }

    public static async Task<DeliveryHarness> StartAsync(WebhookDeliverySettings? settings = null) =>
        new(await FakeWebhookReceiver.StartAsync(), settings ?? new WebhookDeliverySettings("key-123", WebhookDeliverySettings.DefaultRetryDelays));

    /// <summary>Records an event (call_1's event <paramref name="sequence"/> to the receiver unless told) and returns it.</summary>
    public async Task<WebhookEvent> AddAsync(string id = "evt_1", long sequence = 1, string? url = null, WebhookEventStatus status = WebhookEventStatus.Pending, int tries = 0)
    {
        var webhookEvent = new WebhookEvent
        {
            Id = id,
            Type = WebhookEventTypes.Completed,
            CallId = "call_1",
            Sequence = sequence,
            CreatedAt = Now,
            Url = url ?? Receiver.Url,
            Body = $$$"""{"type":"call.completed","timestamp":"2026-12-07T10:00:00Z","data":{"call_id":"call_1","sequence":{{{sequence}}}}}""",
            Status = status,
            Deliveries = [.. Enumerable.Range(1, tries).Select(n => new WebhookDeliveryTry(Now, n, 500, 3, "500 Internal Server Error"))],
        };
        await Outbox.AddAsync(webhookEvent, CancellationToken.None);
        return webhookEvent;
    }

    /// <summary>Runs the job for <paramref name="eventId"/> as a worker would (no PerformContext).</summary>
    public async Task RunAsync(string eventId = "evt_1")
    {
        using var scope = _services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<DeliverWebhookJob>().RunAsync(eventId, null, CancellationToken.None);
    }

    public async Task<WebhookEvent> EventAsync(string eventId = "evt_1") =>
        await Outbox.GetAsync(eventId, CancellationToken.None) ?? throw new InvalidOperationException($"No event {eventId}");

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Receiver.DisposeAsync();
    }

    /// <summary>"v1," and what was signed, so a test sees the id, timestamp and body the header was made from.</summary>
    private sealed class ShowingSigner : IWebhookSigning
    {
        public string Sign(string id, long timestamp, string body) => $"v1,{id}.{timestamp}.{body.Length}";
    }
}
