using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Campaigns;

namespace CallQueue.Api.Calls;

/// <summary>
/// New calls against their campaign's and batch's state (issue 12): a cancelled one takes none (the caller answers 409 or
/// rejects the item, naming campaign_id or batch_id); a paused one takes them, and they wait with the pause as their reason.
/// One round trip per distinct campaign and batch of the request.
/// </summary>
internal static class CampaignAdmission
{
    public static async Task<IReadOnlyList<(CallRecord? Call, CampaignHold? Refused)>> ApplyAsync(
        IReadOnlyList<CallRecord> records, ICampaignStates states, CancellationToken cancellationToken)
    {
        var holds = new Dictionary<(string Campaign, string? Batch), CampaignHold?>();
        var results = new List<(CallRecord?, CampaignHold?)>(records.Count);
        foreach (var record in records)
        {
            var key = (record.CampaignId, record.BatchId);
            if (!holds.TryGetValue(key, out var hold))
            {
                holds[key] = hold = await states.HoldOfAsync(record, cancellationToken);
            }

            results.Add(Decide(record, hold));
        }

        return results;
    }

    /// <summary><paramref name="record"/> against <paramref name="hold"/>, its campaign's or batch's (read with <see cref="ICampaignStates.HoldOfAsync"/>).</summary>
    public static (CallRecord? Call, CampaignHold? Refused) Decide(CallRecord record, CampaignHold? hold)
    {
        ArgumentNullException.ThrowIfNull(record);
        return hold switch
        {
            { State: CampaignState.Cancelled } => (null, hold),
            { State: CampaignState.Paused } when record.Status == CallStatus.Queued && record.Hold is null => (record with { StatusReason = hold.Reason }, null),
            _ => (record, null),
        };
    }

    /// <summary>The field a refusal names and its message.</summary>
    public static (string Field, string Error) Describe(CampaignHold refused)
    {
        ArgumentNullException.ThrowIfNull(refused);
        return (refused.Target.Scope == ControlScope.Campaign ? "campaign_id" : "batch_id", $"{refused.Reason}: it takes no new calls.");
    }
}
