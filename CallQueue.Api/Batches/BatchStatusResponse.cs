using CallQueue.Jobs.Campaigns;

namespace CallQueue.Api.Batches;

/// <summary>
/// Where a bulk batch stands: its calls counted by status (every status present, 0 included), how many have their dial
/// job (<see cref="JobsCreated"/>) and how many still wait for it (<see cref="AwaitingJob"/>), and how many are over; its
/// state (active, paused, cancelled, completed) and ETA (issue 12).
/// </summary>
public sealed record BatchStatusResponse(
    string BatchId,
    int Total,
    IReadOnlyDictionary<string, int> Counts,
    int JobsCreated,
    int AwaitingJob,
    int Finished,
    string State,
    CampaignEta? Eta);
