using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CallQueue.Jobs.Plivo;

/// <summary>
/// Once the app has started, makes one harmless authenticated GET to Plivo (the account): it says at once whether the
/// credentials work, and it warms the HTTP connection and code path, so a process's first create-call request leaves as
/// promptly as the rest (a cold first request would arrive late and bunch up with the next ones at Plivo). Dial workers
/// wait for it briefly (<see cref="WaitAsync"/>).
/// </summary>
public sealed partial class PlivoWarmup(IPlivoClient plivo, IHostApplicationLifetime lifetime, ILogger<PlivoWarmup> logger) : BackgroundService
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the warm-up is over (whatever its result), or after at most 10 s.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _done.Task.WaitAsync(MaxWait, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Dialing goes on; the warm-up only smooths the first request.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // The sandbox may be served by this very app: wait until it listens.
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            {
                await started.Task.WaitAsync(stoppingToken);
            }

            JsonSerializer.Serialize(new MakeCallRequest { From = "0", To = "0", AnswerUrl = "https://warm.up/" }, PlivoJson.Options);
            await plivo.CheckCredentialsAsync(stoppingToken);
            LogReady(logger);
        }
        catch (PlivoApiException ex) when ((int)ex.StatusCode is 401 or 403)
        {
            LogRejected(logger, (int)ex.StatusCode);
        }
        catch (Exception ex) when (ex is PlivoApiException or PlivoConnectionException)
        {
            LogUnreachable(logger, ex.Message);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _done.TrySetResult();
        }
    }

    [LoggerMessage(2150, LogLevel.Information, "Plivo: credentials accepted")]
    private static partial void LogReady(ILogger logger);

    [LoggerMessage(2151, LogLevel.Error, "Plivo credentials rejected ({Status}): check PLIVO_AUTH_ID and PLIVO_AUTH_TOKEN; calls will fail until they are fixed")]
    private static partial void LogRejected(ILogger logger, int status);

    [LoggerMessage(2152, LogLevel.Warning, "Plivo could not be reached at start: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, string reason);
}
