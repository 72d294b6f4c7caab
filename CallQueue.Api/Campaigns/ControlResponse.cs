namespace CallQueue.Api.Campaigns;

/// <summary>
/// The answer to a pause, resume or cancel: the state after it and how many calls it changed (<c>calls</c>: waiting calls
/// held by a pause, calls put back by a resume, calls cancelled by a cancel) and how many were in flight (they finish).
/// </summary>
public sealed record ControlResponse(string? CampaignId, string? BatchId, string Action, string State, long Calls, long InFlight);
