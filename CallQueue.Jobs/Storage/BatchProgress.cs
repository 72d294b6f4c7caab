namespace CallQueue.Jobs.Storage;

/// <summary>A batch's calls (<paramref name="Total"/>) and how many of them have ended (<paramref name="Ended"/>).</summary>
public readonly record struct BatchProgress(long Total, long Ended)
{
    public bool IsComplete => Total > 0 && Ended >= Total;
}
