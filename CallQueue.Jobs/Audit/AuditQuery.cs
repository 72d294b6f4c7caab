namespace CallQueue.Jobs.Audit;

/// <summary>Which entries to list, newest first: only those on <paramref name="Target"/> (null: all), older than <paramref name="Before"/>.</summary>
public sealed record AuditQuery(string? Target = null, DateTimeOffset? Before = null, int Limit = 50);
