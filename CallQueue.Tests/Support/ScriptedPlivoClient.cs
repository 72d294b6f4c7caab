using System.Collections.Concurrent;
using CallQueue.Jobs.Plivo;

namespace CallQueue.Tests.Support;

/// <summary>
/// Plivo at the <see cref="IPlivoClient"/> seam, answering as scripted: a create-call request is recorded and then
/// accepted, refused or lost as the test says; the lists the dialer searches when an answer was lost (live, queued,
/// ended calls) hold what the test put there. Accepts every request with request_uuid "req-accepted" until told otherwise.
/// </summary>
internal sealed class ScriptedPlivoClient : IPlivoClient
{
    private readonly ConcurrentQueue<MakeCallRequest> _requests = new();
    private Func<MakeCallRequest, Task<MakeCallResponse>> _answer = _ => Task.FromResult(Accepted("req-accepted"));
    private int _lookups;

    /// <summary>Every create-call request sent, in order.</summary>
    public IReadOnlyList<MakeCallRequest> Requests => [.. _requests];

    /// <summary>How often the dialer searched Plivo for calls to a number (each search starts with the live calls).</summary>
    public int Lookups => Volatile.Read(ref _lookups);

    public List<LiveCall> LiveCalls { get; } = [];

    public List<QueuedCall> QueuedCalls { get; } = [];

    public List<CallDetailRecord> EndedCalls { get; } = [];

    /// <summary>Plivo's answer to an accepted request.</summary>
    public static MakeCallResponse Accepted(string requestUuid) => new(requestUuid, "call fired", "api-" + requestUuid);

    public void AcceptsWith(string requestUuid) => AnswersWith(_ => Task.FromResult(Accepted(requestUuid)));

    /// <summary>Every request fails with <paramref name="exception"/> (after it was recorded as sent).</summary>
    public void FailsWith(Exception exception) => AnswersWith(_ => Task.FromException<MakeCallResponse>(exception));

    /// <summary>Every request is answered by <paramref name="answer"/>, which may act as Plivo's callbacks before it answers.</summary>
    public void AnswersWith(Func<MakeCallRequest, Task<MakeCallResponse>> answer) => _answer = answer;

    public Task<MakeCallResponse> MakeCallAsync(MakeCallRequest request, CancellationToken cancellationToken)
    {
        _requests.Enqueue(request);
        return _answer(request);
    }

    public Task CheckCredentialsAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<LiveCall?> GetLiveCallAsync(string callUuid, CancellationToken cancellationToken) =>
        Task.FromResult(LiveCalls.FirstOrDefault(call => call.CallUuid == callUuid));

    public Task<IReadOnlyList<string>> ListLiveCallUuidsAsync(string? toNumber, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _lookups);
        IReadOnlyList<string> uuids = LiveCalls.Where(call => toNumber is null || call.To == toNumber).Select(call => call.CallUuid!).ToList();
        return Task.FromResult(uuids);
    }

    public Task<QueuedCall?> GetQueuedCallAsync(string callUuid, CancellationToken cancellationToken) =>
        Task.FromResult(QueuedCalls.FirstOrDefault(call => call.CallUuid == callUuid));

    public Task<IReadOnlyList<string>> ListQueuedCallUuidsAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<string> uuids = QueuedCalls.Select(call => call.CallUuid!).ToList();
        return Task.FromResult(uuids);
    }

    public Task<CallDetailRecord?> GetCallDetailRecordAsync(string callUuid, CancellationToken cancellationToken) =>
        Task.FromResult(EndedCalls.FirstOrDefault(call => call.CallUuid == callUuid));

    public Task<IReadOnlyList<CallDetailRecord>> ListCallDetailRecordsAsync(string toNumber, CancellationToken cancellationToken)
    {
        IReadOnlyList<CallDetailRecord> records = EndedCalls.Where(call => call.ToNumber == toNumber).ToList();
        return Task.FromResult(records);
    }

    public Task<bool> HangupCallAsync(string callUuid, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task<bool> CancelRequestAsync(string requestUuid, CancellationToken cancellationToken) => Task.FromResult(true);
}
