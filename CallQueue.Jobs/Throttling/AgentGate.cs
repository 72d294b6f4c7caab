using CallQueue.Jobs.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallQueue.Jobs.Throttling;

/// <summary>
/// The agent gate (DESIGN.md §4): while GET {AGENT_SERVER_URL}/health fails, no new calls are placed — a call placed
/// without a working agent is a bad experience for the callee. Polls the agent every AGENT_HEALTH_INTERVAL_SECONDS;
/// dial workers wait on it (waiting is not an attempt). Without AGENT_SERVER_URL the gate is always open.
/// </summary>
public sealed partial class AgentGate(
    IHttpClientFactory httpClients,
    IOptions<AgentOptions> options,
    TimeProvider time,
    ILogger<AgentGate> logger) : BackgroundService
{
    public const string HttpClientName = "agent-health";

    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _firstCheck = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _opened = NewSignal(opened: true);
    private AgentGateState _state = new(IsOpen: true, Reason: null, Since: time.GetUtcNow(), LastCheckedAt: null);

    /// <summary>What the gate knows now; "Agent server unreachable: …" while closed.</summary>
    public AgentGateState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>
    /// Completes when the first check of the agent server has been recorded (at once without AGENT_SERVER_URL), or after
    /// <paramref name="timeout"/>: readers of <see cref="State"/> (health) wait for it instead of asking the agent themselves.
    /// </summary>
    public async Task WaitForFirstCheckAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!options.Value.IsConfigured)
        {
            return;
        }

        try
        {
            await _firstCheck.Task.WaitAsync(timeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Not checked yet: the caller reads the initial state.
        }
    }

    /// <summary>True at once when open; otherwise waits until it opens or <paramref name="timeout"/> passes.</summary>
    public async Task<bool> WaitUntilOpenAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task opened;
        lock (_gate)
        {
            if (_state.IsOpen)
            {
                return true;
            }

            opened = _opened.Task;
        }

        try
        {
            await opened.WaitAsync(timeout, time, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return State.IsOpen;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var agent = options.Value;
        if (!agent.IsConfigured)
        {
            return;
        }

        var url = new Uri(agent.ServerUrl!.TrimEnd('/') + "/health");
        var client = httpClients.CreateClient(HttpClientName);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                Record(await CheckAsync(client, url, stoppingToken));
                await Task.Delay(TimeSpan.FromSeconds(agent.HealthIntervalSeconds), time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>Null when the agent answered 2xx, else why not.</summary>
    private static async Task<string?> CheckAsync(HttpClient client, Uri url, CancellationToken stoppingToken)
    {
        try
        {
            using var response = await client.GetAsync(url, stoppingToken);
            return response.IsSuccessStatusCode ? null : $"{url} answered {(int)response.StatusCode}";
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !stoppingToken.IsCancellationRequested))
        {
            return $"{url}: {ex.Message}";
        }
    }

    private void Record(string? failure)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var open = failure is null;
            if (open != _state.IsOpen)
            {
                if (open)
                {
                    LogOpened(logger);
                    _opened.TrySetResult();
                }
                else
                {
                    LogClosed(logger, failure!);
                    _opened = NewSignal(opened: false);
                }

                _state = new AgentGateState(open, open ? null : $"Agent server unreachable: {failure}", now, now);
            }
            else
            {
                _state = _state with { Reason = open ? null : $"Agent server unreachable: {failure}", LastCheckedAt = now };
            }
        }

        _firstCheck.TrySetResult();
    }

    private static TaskCompletionSource NewSignal(bool opened)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (opened)
        {
            signal.SetResult();
        }

        return signal;
    }

    [LoggerMessage(7101, LogLevel.Warning, "Dialing paused: {Reason}")]
    private static partial void LogClosed(ILogger logger, string reason);

    [LoggerMessage(7102, LogLevel.Information, "Agent server healthy again: dialing resumed")]
    private static partial void LogOpened(ILogger logger);
}
