namespace CallQueue.Jobs.Campaigns;

/// <summary>
/// A campaign's (or batch's) progress (issue 12): its state, calls counted by status (every status, 0 included) and by
/// their last attempt's outcome, attempts made, answer rate (answered attempts / attempts that ended; null before the
/// first), mean talk time of answered calls (null before the first), when it last changed, and its ETA.
/// </summary>
public sealed record CampaignProgress(
    ControlTarget Target,
    CampaignState State,
    long Total,
    long Done,
    IReadOnlyDictionary<string, long> Counts,
    IReadOnlyDictionary<string, long> Outcomes,
    long Attempts,
    double? AnswerRate,
    double? AverageTalkSeconds,
    DateTimeOffset? LastActivity,
    CampaignEta Eta);
