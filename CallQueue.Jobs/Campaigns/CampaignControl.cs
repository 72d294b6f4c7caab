namespace CallQueue.Jobs.Campaigns;

/// <summary>
/// Pause, resume and cancel of a campaign or batch (issue 12), recorded in the audit log with the actor's name.
/// </summary>
public sealed class CampaignControl
{
    public Task<ControlResult> ApplyAsync(ControlTarget target, ControlAction action, string actor, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}
