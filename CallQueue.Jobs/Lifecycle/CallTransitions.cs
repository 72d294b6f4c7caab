using CallQueue.Jobs.Storage;
using CallQueue.Jobs.Webhooks;

namespace CallQueue.Jobs.Lifecycle;

/// <summary>
/// Applies a <see cref="CallEvent"/> to a stored call through one compare-and-set: the state machine decides on the
/// record as read, and a conflicting write meanwhile makes it decide again on the fresh record (so its guards, not the
/// caller's, settle every race). The caller carries out the effects of a written transition. The store records the
/// webhook events the change causes in the same write; their delivery jobs are created here right after it (the sweep
/// creates any a crash left out).
/// </summary>
public sealed class CallTransitions(ICallStore store, CallLifecycle lifecycle, TimeProvider time, IWebhookDispatcher? webhooks = null)
{
    public async Task<AppliedTransition> ApplyAsync(string callId, CallEvent callEvent, CancellationToken cancellationToken)
    {
        Transition? decided = null;
        long sequenceBefore = 0;
        var stored = await store.UpdateAsync(
            callId,
            current =>
            {
                sequenceBefore = current.EventSequence;
                decided = lifecycle.Apply(current, callEvent, time.GetUtcNow());
                return decided.Next;
            },
            cancellationToken);
        if (webhooks is not null && stored is not null && stored.EventSequence > sequenceBefore)
        {
            var recorded = Enumerable.Range(1, (int)(stored.EventSequence - sequenceBefore))
                .Select(offset => CallWebhookEvents.EventId(callId, sequenceBefore + offset))
                .ToList();
            await webhooks.DispatchAsync(recorded, CancellationToken.None);
        }

        return new AppliedTransition(stored, stored is null ? null : decided);
    }
}
