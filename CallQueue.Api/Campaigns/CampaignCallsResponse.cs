using System.Text.Json.Serialization;
using CallQueue.Jobs.Calls;

namespace CallQueue.Api.Campaigns;

/// <summary>One page of a campaign's calls, newest first; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record CampaignCallsResponse(
    string CampaignId,
    IReadOnlyList<CallRecord> Calls,
    int Count,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? NextCursor);
