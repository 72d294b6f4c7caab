namespace CallQueue.Api.Sandbox;

/// <summary>A thread-safe log that keeps the newest <c>limit</c> entries.</summary>
internal sealed class SandboxJournal<T>(int limit)
{
    private readonly Lock _gate = new();
    private readonly Queue<T> _items = new();

    public void Add(T item)
    {
        lock (_gate)
        {
            _items.Enqueue(item);
            while (_items.Count > limit)
            {
                _items.Dequeue();
            }
        }
    }

    public IReadOnlyList<T> Snapshot()
    {
        lock (_gate)
        {
            return [.. _items];
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _items.Clear();
        }
    }
}
