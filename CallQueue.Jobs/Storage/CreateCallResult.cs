namespace CallQueue.Jobs.Storage;

/// <summary>What storing one new call did: created it, or found it already there (same call id or idempotency key).</summary>
public readonly record struct CreateCallResult(string CallId, bool Created);
