namespace CallQueue.Tests.Support;

/// <summary>One request <see cref="FakeWebhookReceiver"/> got: its path, headers (names lower-case) and body.</summary>
public sealed record ReceivedWebhook(string Path, IReadOnlyDictionary<string, string> Headers, string Body);
