using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Configuration;
using Microsoft.Extensions.Options;

namespace CallQueue.Api.Sandbox;

/// <summary>
/// The state of the built-in Plivo simulator (DESIGN.md §7) and its control API for tests and demos: script outcomes per
/// number, queue faults for the next make-call requests, read what was received and sent, reset. The HTTP side is
/// <see cref="PlivoSandboxEndpoints"/>. Credentials are PlivoOptions' (the sandbox defaults when unset).
/// </summary>
public sealed class PlivoSandbox : IHostedService, IDisposable
{
    private readonly ILogger<PlivoSandbox> _logger;
    private readonly SandboxRandom _random;
    private readonly SandboxTaskTracker _tracker;
    private readonly SandboxCallPlayer _player;
    private readonly SandboxCallStore _calls;
    private readonly SandboxJournal<SandboxRequestLogEntry> _requests;
    private readonly SandboxJournal<SandboxCallbackLogEntry> _callbacks;
    private readonly ConcurrentDictionary<string, SandboxNumberScript> _scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<SandboxFault> _faults = new();
    private int _generation;

    public PlivoSandbox(
        IOptions<PlivoSandboxOptions> options,
        IOptions<PlivoOptions> plivoOptions,
        IHttpClientFactory httpClientFactory,
        TimeProvider timeProvider,
        ILogger<PlivoSandbox> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(plivoOptions);
        Options = options.Value;
        TimeProvider = timeProvider;
        _logger = logger;
        var plivo = plivoOptions.Value;
        AuthId = string.IsNullOrWhiteSpace(plivo.AuthId) ? PlivoOptions.SandboxAuthId : plivo.AuthId.Trim();
        AuthToken = string.IsNullOrWhiteSpace(plivo.AuthToken) ? PlivoOptions.SandboxAuthToken : plivo.AuthToken;
        _random = new SandboxRandom(Options);
        _tracker = new SandboxTaskTracker(logger);
        _calls = new SandboxCallStore(Options.HistoryLimit);
        _requests = new SandboxJournal<SandboxRequestLogEntry>(Options.HistoryLimit);
        _callbacks = new SandboxJournal<SandboxCallbackLogEntry>(Options.HistoryLimit);
        var sender = new SandboxCallbackSender(httpClientFactory, timeProvider, logger, AuthToken, _callbacks);
        _player = new SandboxCallPlayer(Options, timeProvider, sender, OnCallEnded);
    }

    public PlivoSandboxOptions Options { get; }

    public TimeProvider TimeProvider { get; }

    /// <summary>The Auth ID make-call requests must present (PLIVO_AUTH_ID, or the sandbox default).</summary>
    public string AuthId { get; }

    /// <summary>Checks Basic auth and signs callbacks. Never logged.</summary>
    internal string AuthToken { get; }

    internal CancellationToken StoppingToken => _tracker.StoppingToken;

    internal ILogger Logger => _logger;

    /// <summary>Changes on every <see cref="Reset"/>, so requests that straddle a reset leave no trace after it.</summary>
    internal int Generation => Volatile.Read(ref _generation);

    internal IEnumerable<SandboxCall> AllCalls => _calls.All;

    /// <summary>Every call to <paramref name="number"/> (compared without '+', spaces, dashes) plays <paramref name="script"/>.</summary>
    public void SetNumberScript(string number, SandboxNumberScript script)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(number);
        ArgumentNullException.ThrowIfNull(script);
        _scripts[SandboxNumber.Normalize(number)] = script;
    }

    public bool ClearNumberScript(string number)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(number);
        return _scripts.TryRemove(SandboxNumber.Normalize(number), out _);
    }

    /// <summary>The next <paramref name="count"/> make-call requests get <paramref name="fault"/>, in order.</summary>
    public void EnqueueFault(SandboxFault fault, int count = 1)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        for (var i = 0; i < count; i++)
        {
            _faults.Enqueue(fault);
        }
    }

    public IReadOnlyList<SandboxRequestLogEntry> GetRequests() => _requests.Snapshot();

    public IReadOnlyList<SandboxCallbackLogEntry> GetCallbacks() => _callbacks.Snapshot();

    public IReadOnlyList<SandboxCallSnapshot> GetCalls() =>
        [.. _calls.All.Select(call => call.Snapshot()).OrderBy(call => call.InitiatedAt)];

    /// <summary>A call by its call_uuid or request_uuid.</summary>
    public SandboxCallSnapshot? FindCall(string uuid) =>
        _calls.TryGetByCallUuid(uuid, out var call) || _calls.TryGetByRequestUuid(uuid, out call) ? call.Snapshot() : null;

    /// <summary>Forgets scripts, queued faults, logs and calls; calls still playing stop without callbacks.</summary>
    public void Reset()
    {
        Interlocked.Increment(ref _generation);
        _scripts.Clear();
        _faults.Clear();
        _calls.Clear();
        _requests.Clear();
        _callbacks.Clear();
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => _tracker.StopAsync(cancellationToken);

    public void Dispose() => _tracker.Dispose();

    /// <summary>The scripted fault for this request, else a random one (SANDBOX_FAULT_RATE), else null.</summary>
    internal SandboxFault? TakeFault() =>
        _faults.TryDequeue(out var fault) ? fault
        : _random.ShouldFault() ? new SandboxFault { StatusCode = Options.FaultStatus }
        : null;

    internal void RecordRequest(SandboxRequestLogEntry entry) => _requests.Add(entry);

    internal SandboxCall Accept(SandboxCallRequest request)
    {
        var script = _scripts.TryGetValue(SandboxNumber.Normalize(request.To), out var scripted)
            ? scripted
            : new SandboxNumberScript(_random.PickOutcome());
        var call = new SandboxCall(Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), request, script, TimeProvider.GetUtcNow());
        _calls.Add(call);
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            _logger.CallAccepted(call.RequestUuid, PhoneNumberMask.Mask(request.To), script.Outcome);
        }

        _tracker.Run(stoppingToken => _player.PlayAsync(call, stoppingToken));
        return call;
    }

    // Plivo gives a single-destination call the same id as its request (reference §2.1); the sandbox's ids differ, to
    // keep correlation honest, but its lookups answer to either, as Plivo's do.
    internal bool TryGetCall(string uuid, [NotNullWhen(true)] out SandboxCall? call) =>
        _calls.TryGetByCallUuid(uuid, out call) || _calls.TryGetByRequestUuid(uuid, out call);

    /// <summary>DELETE /Call/{uuid}/: ends a queued, ringing or answered call (1000 or 4000, source API Request).</summary>
    internal bool HangupCall(string callUuid) =>
        _calls.TryGetByCallUuid(callUuid, out var call) && EndByApi(call, onlyIfUnanswered: false);

    /// <summary>DELETE /Request/{uuid}/: cancels a call request that has not been answered (1000 Canceled).</summary>
    internal bool CancelRequest(string requestUuid) =>
        _calls.TryGetByRequestUuid(requestUuid, out var call) && EndByApi(call, onlyIfUnanswered: true);

    private bool EndByApi(SandboxCall call, bool onlyIfUnanswered)
    {
        if (call.TryEndByApi(onlyIfUnanswered, TimeProvider.GetUtcNow()) is null)
        {
            return false;
        }

        OnCallEnded(call);
        _tracker.Run(stoppingToken => _player.SendHangupAsync(call, stoppingToken));
        return true;
    }

    private void OnCallEnded(SandboxCall call)
    {
        _calls.MarkEnded(call);
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            var snapshot = call.Snapshot();
            _logger.CallEnded(call.CallUuid, snapshot.HangupCauseCode ?? 0, snapshot.HangupCauseName ?? string.Empty);
        }
    }
}
