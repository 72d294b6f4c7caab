namespace CallQueue.Jobs.Campaigns;

/// <summary>An operator's command on a campaign or batch.</summary>
public enum ControlAction
{
    Pause,
    Resume,
    Cancel,
}
