namespace CallQueue.Jobs.Campaigns;

internal static class CampaignHolds
{
    /// <summary>The hold among a call's targets: a cancelled one first, then a paused one; null when all are active.</summary>
    public static CampaignHold? Pick(IReadOnlyList<ControlTarget> targets, IReadOnlyList<CampaignState> states)
    {
        CampaignHold? paused = null;
        for (var i = 0; i < targets.Count; i++)
        {
            if (states[i] == CampaignState.Cancelled)
            {
                return new CampaignHold(targets[i], CampaignState.Cancelled);
            }

            if (states[i] == CampaignState.Paused)
            {
                paused ??= new CampaignHold(targets[i], CampaignState.Paused);
            }
        }

        return paused;
    }
}
