namespace CallQueue.Api.Webhooks;

/// <summary>How many events matched and were sent again (each with its own webhook-id, as the first time).</summary>
public sealed record RedeliverResponse(int Matched, int Redelivered, bool Truncated);
