namespace CallQueue.Jobs.Campaigns;

/// <summary>
/// When the calls of a campaign (or batch) still to dial will have been placed, and what that assumed (issue 12):
/// <paramref name="PlacedBy"/> (null when nothing is left to place, or when it cannot be known: paused, cancelled),
/// the calls left (<paramref name="CallsToPlace"/>), the calls ahead of them in priority (<paramref name="CallsAhead"/>),
/// the dial rate assumed (<paramref name="DialsPerSecond"/>) and what bounds it (<paramref name="BoundBy"/>: <c>rate</c>
/// or <c>concurrency</c>), the mean line time per call it assumed (<paramref name="MeanCallSeconds"/>: the campaign's ended
/// attempts, else the deployment's; null before ten have ended), the calling hours taken into account
/// (<paramref name="CallingHours"/>), and what else it assumed (<paramref name="Note"/>).
/// </summary>
public sealed record CampaignEta(
    DateTimeOffset? PlacedBy,
    long CallsToPlace,
    long CallsAhead,
    double DialsPerSecond,
    string BoundBy,
    double? MeanCallSeconds,
    string? CallingHours,
    string? Note);
