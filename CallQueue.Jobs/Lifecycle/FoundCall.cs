namespace CallQueue.Jobs.Lifecycle;

/// <summary>A call Plivo knows as live or queued.</summary>
public sealed record FoundCall(string CallUuid, string RequestUuid, bool IsLive, string? CallStatus);
