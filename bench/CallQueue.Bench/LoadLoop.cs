using System.Collections.Concurrent;
using System.Diagnostics;

namespace CallQueue.Bench;

/// <summary>
/// The two load shapes of the single-enqueue scenario, for any operation that returns true on success:
/// closed loop (N clients, each sends its next request when the previous one is answered: the maximum throughput) and
/// open loop (requests start on a fixed schedule whatever the answers do; latency counts from the scheduled start, or
/// from the actual start when the timer let it go up to 1 ms early, so a stall is not hidden by the generator waiting
/// for it).
/// </summary>
internal static class LoadLoop
{
    public static async Task<LoadResult> ClosedAsync(int clients, TimeSpan duration, Func<Task<bool>> operation)
    {
        var latencies = new ConcurrentBag<double>();
        var errors = 0;
        var started = Stopwatch.GetTimestamp();
        var end = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < end)
            {
                var before = Stopwatch.GetTimestamp();
                var ok = await operation();
                latencies.Add(Stopwatch.GetElapsedTime(before).TotalMilliseconds);
                if (!ok)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        })).ToList();
        await Task.WhenAll(workers);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new LoadResult(latencies.Count - errors, errors, seconds, latencies.ToArray());
    }

    /// <summary>A synchronous operation (Hangfire's client is synchronous): one dedicated thread per client.</summary>
    public static LoadResult Closed(int clients, TimeSpan duration, Func<bool> operation)
    {
        var latencies = new ConcurrentBag<double>();
        var errors = 0;
        var started = Stopwatch.GetTimestamp();
        var end = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var threads = Enumerable.Range(0, clients).Select(_ => new Thread(() =>
        {
            while (Stopwatch.GetTimestamp() < end)
            {
                var before = Stopwatch.GetTimestamp();
                var ok = operation();
                latencies.Add(Stopwatch.GetElapsedTime(before).TotalMilliseconds);
                if (!ok)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        })).ToList();
        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => thread.Join());
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new LoadResult(latencies.Count - errors, errors, seconds, latencies.ToArray());
    }

    public static async Task<LoadResult> OpenAsync(double ratePerSecond, TimeSpan duration, Func<Task<bool>> operation)
    {
        var latencies = new ConcurrentBag<double>();
        var errors = 0;
        var total = (int)(ratePerSecond * duration.TotalSeconds);
        var inFlight = new List<Task>(total);
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < total; i++)
        {
            var due = started + (long)(i / ratePerSecond * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            inFlight.Add(Task.Run(async () =>
            {
                var start = Math.Min(due, Stopwatch.GetTimestamp());
                var ok = await operation();
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                if (!ok)
                {
                    Interlocked.Increment(ref errors);
                }
            }));
        }

        await Task.WhenAll(inFlight);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new LoadResult(latencies.Count - errors, errors, seconds, latencies.ToArray());
    }

    /// <summary>
    /// Open loop for a synchronous operation: the schedule is kept by this thread, the requests run on
    /// <paramref name="clients"/> dedicated threads (blocking calls on the thread pool would starve it); latency still
    /// counts from the scheduled start.
    /// </summary>
    public static LoadResult Open(double ratePerSecond, TimeSpan duration, int clients, Func<bool> operation)
    {
        var latencies = new ConcurrentBag<double>();
        var errors = 0;
        var total = (int)(ratePerSecond * duration.TotalSeconds);
        using var due = new BlockingCollection<long>();
        var threads = Enumerable.Range(0, clients).Select(_ => new Thread(() =>
        {
            foreach (var at in due.GetConsumingEnumerable())
            {
                var start = Math.Min(at, Stopwatch.GetTimestamp());
                var ok = operation();
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                if (!ok)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        })).ToList();
        threads.ForEach(thread => thread.Start());
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < total; i++)
        {
            var at = started + (long)(i / ratePerSecond * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), at);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                Thread.Sleep(wait);
            }

            due.Add(at);
        }

        due.CompleteAdding();
        threads.ForEach(thread => thread.Join());
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new LoadResult(latencies.Count - errors, errors, seconds, latencies.ToArray());
    }
}
