namespace CallQueue.Tests.Support;

/// <summary>How <see cref="FakeWebhookReceiver"/> answers: a status with headers, or never (<see cref="Hang"/>, until the sender gives up).</summary>
public sealed record WebhookReply(int StatusCode, IReadOnlyDictionary<string, string>? Headers = null, bool Hang = false)
{
    public static WebhookReply Ok { get; } = new(200);

    public static WebhookReply Never { get; } = new(0, Hang: true);

    public static WebhookReply With(int statusCode, string header, string value) => new(statusCode, new Dictionary<string, string> { [header] = value });
}
