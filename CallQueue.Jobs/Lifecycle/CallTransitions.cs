using CallQueue.Jobs.Storage;

namespace CallQueue.Jobs.Lifecycle;

/// <summary>
/// Applies a <see cref="CallEvent"/> to a stored call through one compare-and-set: the state machine decides on the
/// record as read, and a conflicting write meanwhile makes it decide again on the fresh record (so its guards, not the
/// caller's, settle every race). The caller carries out the effects of a written transition.
/// </summary>
public sealed class CallTransitions(ICallStore store, CallLifecycle lifecycle, TimeProvider time)
{
    public async Task<AppliedTransition> ApplyAsync(string callId, CallEvent callEvent, CancellationToken cancellationToken)
    {
        Transition? decided = null;
        var stored = await store.UpdateAsync(
            callId,
            current =>
            {
                decided = lifecycle.Apply(current, callEvent, time.GetUtcNow());
                return decided.Next;
            },
            cancellationToken);
        return new AppliedTransition(stored, stored is null ? null : decided);
    }
}
