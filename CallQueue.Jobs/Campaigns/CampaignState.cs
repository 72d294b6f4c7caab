namespace CallQueue.Jobs.Campaigns;

/// <summary>
/// Where a campaign (or batch) stands (issue 12). Active, paused and cancelled are the operator's; completed is derived:
/// an active one whose every call has ended.
/// </summary>
public enum CampaignState
{
    Active,
    Paused,
    Cancelled,
    Completed,
}
