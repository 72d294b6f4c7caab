namespace CallQueue.Jobs.Throttling;

/// <summary>
/// The waiters of one process for a freed call slot. A wake-up wakes them all: the cluster-wide waiting line in the store
/// (priority, then first come) decides who gets the slot, not the order in which this process's workers started waiting
/// (DESIGN.md §4). A waiter that wakes and then fails to acquire simply waits again; a few wake-ups that find nobody
/// waiting are kept, so one between a failed acquire and its wait is not lost.
/// </summary>
internal sealed class FreedSlotSignal(TimeProvider time)
{
    private readonly Lock _gate = new();
    // A wake-up that finds nobody waiting is kept (a few at most), so a caller between a failed acquire and its wait does
    // not miss it: with a fair waiting line, a missed wake-up at the head would leave a slot idle until a timeout.
    private const long MaxPermits = 16;
    private readonly LinkedList<TaskCompletionSource> _waiters = [];
    private long _permits;

    /// <summary>Completes when woken or after <paramref name="timeout"/>; throws when <paramref name="cancellationToken"/> fires.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        LinkedListNode<TaskCompletionSource> node;
        lock (_gate)
        {
            if (_permits > 0)
            {
                _permits--;
                return;
            }

            node = _waiters.AddLast(waiter);
        }

        var used = false;
        try
        {
            await waiter.Task.WaitAsync(timeout, time, cancellationToken);
            used = true;
        }
        catch (TimeoutException)
        {
            // The bounded wait ran out: the caller tries to acquire once more, then gives up (reschedules).
        }
        finally
        {
            bool woken;
            lock (_gate)
            {
                woken = node.List is null;
                if (!woken)
                {
                    _waiters.Remove(node);
                }
            }

            // Woken just as the wait ran out or was cancelled: pass the wake-up on, or the freed slot would sit idle
            // until another waiter's timeout.
            if (woken && !used)
            {
                Wake(1);
            }
        }
    }

    /// <summary>Wakes every waiter; with none waiting, keeps up to <paramref name="count"/> wake-ups (at most 16) for the next.</summary>
    public void Wake(long count)
    {
        lock (_gate)
        {
            if (count <= 0)
            {
                return;
            }

            // Every local waiter tries again: the waiting line (in the store) decides who gets the slot, and the order in
            // which this process's waiters last started waiting is not the line's order.
            if (_waiters.Count == 0)
            {
                _permits = Math.Min(MaxPermits, _permits + count);
            }

            while (_waiters.First is { } first)
            {
                _waiters.RemoveFirst();
                first.Value.TrySetResult();
            }
        }
    }
}
