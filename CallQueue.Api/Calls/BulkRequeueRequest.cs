namespace CallQueue.Api.Calls;

/// <summary>
/// POST /api/calls/requeue: which calls of a campaign to dial again. <see cref="Outcome"/> matches the last attempt's
/// outcome (e.g. <c>no_answer</c>); <see cref="From"/>/<see cref="To"/> bound when the calls were queued (created_at,
/// inclusive), the order of the campaign's index. <see cref="Limit"/> caps the calls requeued by one request.
/// </summary>
public sealed record BulkRequeueRequest(string? CampaignId, string? Outcome, DateTimeOffset? From, DateTimeOffset? To, int? Limit);
