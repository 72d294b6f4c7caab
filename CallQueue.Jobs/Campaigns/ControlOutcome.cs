namespace CallQueue.Jobs.Campaigns;

/// <summary>What became of a command: done, nothing by that id (404), or not allowed from the current state (409).</summary>
public enum ControlOutcome
{
    Changed,
    NotFound,
    Conflict,
}
