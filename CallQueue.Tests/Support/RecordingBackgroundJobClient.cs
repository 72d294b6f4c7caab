using System.Collections.Concurrent;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;

namespace CallQueue.Tests.Support;

/// <summary>
/// An <see cref="IBackgroundJobClient"/> that records what it was asked and stores or runs nothing (STYLE.md habit 18):
/// tests assert "this job was enqueued with these arguments" or "that job was moved to this state". Thread-safe.
/// </summary>
internal sealed class RecordingBackgroundJobClient : IBackgroundJobClient
{
    private readonly ConcurrentQueue<CreatedJob> _created = new();
    private readonly ConcurrentQueue<StateChange> _stateChanges = new();
    private int _lastId;

    public IReadOnlyList<CreatedJob> Created => [.. _created];

    public IReadOnlyList<StateChange> StateChanges => [.. _stateChanges];

    public string Create(Job job, IState state)
    {
        var id = "recorded-" + Interlocked.Increment(ref _lastId);
        _created.Enqueue(new CreatedJob(id, job, state));
        return id;
    }

    public bool ChangeState(string jobId, IState state, string? expectedState)
    {
        _stateChanges.Enqueue(new StateChange(jobId, state, expectedState));
        return true;
    }

    public sealed record CreatedJob(string Id, Job Job, IState State);

    public sealed record StateChange(string JobId, IState State, string? ExpectedState);
}
