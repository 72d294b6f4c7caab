using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Campaigns;

namespace CallQueue.Api.Campaigns;

/// <summary>
/// A campaign's (or batch's) progress as the API shows it (issue 12): <c>campaign_id</c> or <c>batch_id</c>, state, calls
/// by status and by last outcome, attempts, answer rate, average talk time, last activity and the ETA with what it assumed.
/// </summary>
public sealed record CampaignResponse(
    string? CampaignId,
    string? BatchId,
    string State,
    long Total,
    long Done,
    IReadOnlyDictionary<string, long> Counts,
    IReadOnlyDictionary<string, long> Outcomes,
    long Attempts,
    double? AnswerRate,
    double? AverageTalkSeconds,
    DateTimeOffset? LastActivity,
    CampaignEta Eta)
{
    public static CampaignResponse From(CampaignProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var campaign = progress.Target.Scope == ControlScope.Campaign;
        return new CampaignResponse(
            campaign ? progress.Target.Id : null,
            campaign ? null : progress.Target.Id,
            progress.State.ToWire(),
            progress.Total,
            progress.Done,
            progress.Counts,
            progress.Outcomes,
            progress.Attempts,
            progress.AnswerRate,
            progress.AverageTalkSeconds,
            progress.LastActivity,
            progress.Eta);
    }
}
