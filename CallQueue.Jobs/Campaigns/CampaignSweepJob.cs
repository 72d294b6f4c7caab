using Hangfire;

namespace CallQueue.Jobs.Campaigns;

/// <summary>
/// Minutely: parked calls whose campaign or batch is no longer paused (a process died between a resume or cancel and its
/// drain) go back to their queues or are cancelled (<see cref="CampaignControl.SweepAsync"/>). One SMEMBERS when none.
/// </summary>
public sealed class CampaignSweepJob(CampaignControl control)
{
    public const string RecurringJobId = "campaign-sweep";

    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [JobDisplayName("Campaigns: put back what a resume or cancel left parked")]
    public async Task RunAsync(CancellationToken cancellationToken) => await control.SweepAsync(cancellationToken);
}
