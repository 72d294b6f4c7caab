using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Operators;

/// <summary>
/// Which of a campaign's calls a bulk requeue dials again: those whose last attempt ended with <see cref="Outcome"/> (any
/// when null), queued (created_at) between <see cref="From"/> and <see cref="To"/> (inclusive, open-ended when null), at
/// most <see cref="Limit"/> requeued by one request.
/// </summary>
public sealed record BulkRequeueFilter(string CampaignId, CallOutcome? Outcome, DateTimeOffset? From, DateTimeOffset? To, int Limit);
