using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Campaigns;

/// <summary>How states and targets are read back from storage (the API's wire names; a target is stored as <see cref="ControlTarget.ToString"/>).</summary>
internal static class CampaignStateWire
{
    public static CampaignState Parse(string? stored) =>
        Enum.GetValues<CampaignState>().FirstOrDefault(state => state.ToWire() == stored, CampaignState.Active);

    public static ControlTarget? ParseTarget(string field)
    {
        var separator = field.IndexOf(':', StringComparison.Ordinal);
        return separator <= 0 ? null : field[..separator] switch
        {
            "campaign" => ControlTarget.Campaign(field[(separator + 1)..]),
            "batch" => ControlTarget.Batch(field[(separator + 1)..]),
            _ => null,
        };
    }
}
