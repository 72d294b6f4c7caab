namespace CallQueue.Api.Sandbox;

/// <summary>
/// Runs the sandbox's background work (call playback, callbacks) and waits for it on shutdown, so the host stops
/// cleanly: the stopping token cancels every delay and callback in flight.
/// </summary>
internal sealed class SandboxTaskTracker(ILogger logger) : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _running;

    public CancellationToken StoppingToken => _stopping.Token;

    public void Run(Func<CancellationToken, Task> work)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        Interlocked.Increment(ref _running);
        _ = Task.Run(() => RunAsync(work));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (Volatile.Read(ref _running) == 0)
        {
            _idle.TrySetResult();
        }

        await _idle.Task.WaitAsync(cancellationToken);
    }

    public void Dispose() => _stopping.Dispose();

    private async Task RunAsync(Func<CancellationToken, Task> work)
    {
        try
        {
            await work(_stopping.Token);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Shutting down.
        }
#pragma warning disable CA1031 // A background task has nobody to rethrow to: log it, keep the sandbox alive.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.BackgroundWorkFailed(ex);
        }
        finally
        {
            if (Interlocked.Decrement(ref _running) == 0 && _stopping.IsCancellationRequested)
            {
                _idle.TrySetResult();
            }
        }
    }
}
