namespace CallQueue.Jobs.Campaigns;

/// <summary>
/// The answer to a command: its outcome, the state after it (the current state on a conflict), how many calls it changed
/// (a cancel: calls cancelled; a resume: calls put back in their queues; a pause: calls waiting that it holds) and how
/// many calls were in flight (dialing, ringing, in progress: they finish normally).
/// </summary>
public sealed record ControlResult(ControlOutcome Outcome, CampaignState State, long Calls, long InFlight);
