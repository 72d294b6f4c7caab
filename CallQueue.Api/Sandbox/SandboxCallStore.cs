using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace CallQueue.Api.Sandbox;

/// <summary>The sandbox's calls by call_uuid and request_uuid; ended calls beyond the history limit are forgotten, oldest first.</summary>
internal sealed class SandboxCallStore(int historyLimit)
{
    private readonly ConcurrentDictionary<string, SandboxCall> _byCallUuid = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SandboxCall> _byRequestUuid = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<SandboxCall> _ended = new();

    public IEnumerable<SandboxCall> All => _byCallUuid.Values;

    public void Add(SandboxCall call)
    {
        _byCallUuid[call.CallUuid] = call;
        _byRequestUuid[call.RequestUuid] = call;
    }

    public bool TryGetByCallUuid(string callUuid, [NotNullWhen(true)] out SandboxCall? call) =>
        _byCallUuid.TryGetValue(callUuid, out call);

    public bool TryGetByRequestUuid(string requestUuid, [NotNullWhen(true)] out SandboxCall? call) =>
        _byRequestUuid.TryGetValue(requestUuid, out call);

    public void MarkEnded(SandboxCall call)
    {
        _ended.Enqueue(call);
        while (_ended.Count > historyLimit && _ended.TryDequeue(out var oldest))
        {
            _byCallUuid.TryRemove(oldest.CallUuid, out _);
            _byRequestUuid.TryRemove(oldest.RequestUuid, out _);
        }
    }

    /// <summary>Forgets every call; calls still playing stop without a hangup callback.</summary>
    public void Clear()
    {
        foreach (var call in _byCallUuid.Values)
        {
            call.Abandon();
        }

        _byCallUuid.Clear();
        _byRequestUuid.Clear();
        _ended.Clear();
    }
}
