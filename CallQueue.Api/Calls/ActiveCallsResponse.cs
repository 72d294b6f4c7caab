using CallQueue.Jobs.Calls;

namespace CallQueue.Api.Calls;

/// <summary>Calls holding a line (dialing, ringing, in progress) against the cluster-wide cap.</summary>
public sealed record ActiveCallsResponse(int Count, int MaxConcurrentCalls, IReadOnlyList<CallRecord> Calls);
