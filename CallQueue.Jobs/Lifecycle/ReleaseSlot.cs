namespace CallQueue.Jobs.Lifecycle;

/// <summary>The attempt holds no line any more: its concurrency slot goes back to the cluster.</summary>
public sealed record ReleaseSlot : CallEffect;
