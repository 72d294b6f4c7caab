namespace CallQueue.Jobs.Throttling;

/// <summary>Whether a slot was taken, and how many leases were live after the attempt.</summary>
public readonly record struct SlotResult(bool Acquired, long Active);
