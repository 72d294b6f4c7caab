namespace CallQueue.Jobs.Campaigns;

/// <summary>What an operator controls: a campaign (every call with its campaign_id) or one bulk batch (its batch_id).</summary>
public enum ControlScope
{
    Campaign,
    Batch,
}
