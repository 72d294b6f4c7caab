namespace CallQueue.Jobs.Storage;

/// <summary>How many attempts ended and how many seconds they held a line (from the request to the hangup).</summary>
public sealed record LineTime(long AttemptsEnded, long Seconds)
{
    /// <summary>The mean seconds per ended attempt; null before the first.</summary>
    public double? Mean => AttemptsEnded == 0 ? null : (double)Seconds / AttemptsEnded;
}
