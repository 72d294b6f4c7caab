using CallQueue.Jobs.Storage;
using CallQueue.Jobs.Webhooks;

namespace CallQueue.Jobs.Lifecycle;

/// <summary>
/// Applies a <see cref="CallEvent"/> to a stored call through one compare-and-set: the state machine decides on the
/// record as read, and a conflicting write meanwhile makes it decide again on the fresh record (so its guards, not the
/// caller's, settle every race). The caller carries out the effects of a written transition. The store records the
/// webhook events the change causes in the same write; the first one's delivery job is created here right after it (the
/// rest follow in order, and the sweep creates any a crash left out).
/// </summary>
public sealed class CallTransitions(
    ICallStore store, CallLifecycle lifecycle, TimeProvider time, IWebhookDispatcher? webhooks = null, IWebhookOutbox? outbox = null)
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
            // A call's events go out in order: only the first new one gets its job now, and only when the one before it
            // is done; each delivery job creates the next one's when it is done (no polling for the order).
            var first = CallWebhookEvents.EventId(callId, sequenceBefore + 1);
            if (sequenceBefore == 0 || outbox is null || !await PreviousPendingAsync(outbox, CallWebhookEvents.EventId(callId, sequenceBefore)))
            {
                await webhooks.DispatchAsync([first], CancellationToken.None);
            }
        }

        return new AppliedTransition(stored, stored is null ? null : decided);
    }

    // Unknown (storage hiccup) counts as pending: the event then waits for the sweep, never for nothing.
    private static async Task<bool> PreviousPendingAsync(IWebhookOutbox outbox, string previousId)
    {
        try
        {
            return await outbox.GetAsync(previousId, CancellationToken.None) is { Status: WebhookEventStatus.Pending };
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            return true;
        }
    }
}
