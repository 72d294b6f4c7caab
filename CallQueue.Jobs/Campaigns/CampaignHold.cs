namespace CallQueue.Jobs.Campaigns;

/// <summary>A call's campaign or batch that is not active, and its state (paused or cancelled).</summary>
public sealed record CampaignHold(ControlTarget Target, CampaignState State)
{
    public string Reason => State == CampaignState.Cancelled
        ? $"{Name} cancelled"
        : $"{Name} paused";

    private string Name => Target.Scope == ControlScope.Campaign ? $"Campaign {Target.Id}" : $"Batch {Target.Id}";
}
