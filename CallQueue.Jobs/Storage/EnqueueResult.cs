namespace CallQueue.Jobs.Storage;

/// <summary>
/// What a guarded single enqueue did (<see cref="IEnqueuingCallStore.CreateEnqueuedAsync"/>): nothing, because a field of
/// its <see cref="EnqueueGuard"/> exists (<see cref="Stopped"/>; <see cref="Lengths"/> is then empty); or stored the call
/// with its job, or found it already there (<see cref="Created"/>), with the lengths of the guard's lists read before.
/// </summary>
public sealed record EnqueueResult(CreateCallResult? Created, IReadOnlyList<long> Lengths)
{
    /// <summary>A guard's field exists: neither the call nor its job was written.</summary>
    public bool Stopped => Created is null;
}
