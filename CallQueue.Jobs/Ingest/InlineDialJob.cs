using System.Reflection;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Dialing;
using CallQueue.Jobs.Storage;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;

namespace CallQueue.Jobs.Ingest;

/// <summary>
/// What Hangfire's client and its Redis storage (Hangfire.Redis.StackExchange 1.12.0, pinned in Directory.Packages.props)
/// write for a dial job created straight into the Enqueued state, written instead by the script that stores the call
/// (<see cref="IEnqueuingCallStore"/>)
/// (issue 15: the single enqueue was a third of a bare Hangfire enqueue, and Hangfire's synchronous client with its two
/// round trips was most of the difference). Built with Hangfire's own serialisers, so the values are the ones it writes:
/// <list type="bullet">
/// <item><c>job:{id}</c>, hash: the invocation data (<c>Type</c>, <c>Method</c>, <c>ParameterTypes</c>, <c>Arguments</c>),
/// <c>CreatedAt</c>, <c>Queue</c> and <c>State</c> (<c>CreateExpiredJob</c>, then <c>SetJobState</c>; no TTL, as after
/// <c>PersistJob</c>);</item>
/// <item><c>job:{id}:state</c>, hash: the state's data, <c>State</c> (no reason);</item>
/// <item><c>job:{id}:history</c>, list: one JSON entry (the state's data, <c>State</c>, <c>Reason</c> null, <c>CreatedAt</c>);</item>
/// <item><c>queues</c>, set: the queue's name; <c>queue:{queue}</c>, list: the job id pushed on the left, and the id
/// published on <c>JobFetchChannel</c>, which wakes the servers waiting for work (<c>AddToQueue</c>).</item>
/// </list>
/// Only for calls Hangfire would give no job parameter: none of our client filters writes one unless a trace is being
/// recorded (<see cref="Operations.TraceContextJobFilter"/>), and then the call takes Hangfire's client. The state
/// filters that see a new Enqueued dial job do nothing with it (they act on retries, failures and operator requeues).
/// InlineDialJobTests compares this with what Hangfire itself writes, key by key, and runs the job on a Hangfire server:
/// an upgrade of the storage that changes its layout fails there.
/// </summary>
public static class InlineDialJob
{
    private static readonly MethodInfo DialAsync =
        typeof(DialCallJob).GetMethod(nameof(DialCallJob.DialAsync), [typeof(string)])!;

    /// <summary>
    /// A new dial job for <paramref name="call"/> (one that <see cref="DialJobFactory.EnqueuesNow"/>), in the queue of its
    /// priority, created now, with an id as Hangfire's Redis storage makes them (a GUID).
    /// </summary>
    public static EnqueuedJobWrite For(CallRecord call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var queue = call.Priority.ToWire();
        // The job Job.FromExpression makes of dial => dial.DialAsync(callId), without parsing an expression per call.
        var invocation = InvocationData.SerializeJob(new Job(typeof(DialCallJob), DialAsync, [call.CallId], queue));
        var now = DateTime.UtcNow;
        var state = new EnqueuedState(queue);
        var job = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Type"] = invocation.Type,
            ["Method"] = invocation.Method,
            ["ParameterTypes"] = invocation.ParameterTypes,
            ["Arguments"] = invocation.Arguments,
            ["CreatedAt"] = JobHelper.SerializeDateTime(now),
            ["Queue"] = invocation.Queue ?? queue,
            ["State"] = state.Name,
        };
        var data = state.SerializeData();
        var stateData = new Dictionary<string, string>(data, StringComparer.Ordinal) { ["State"] = state.Name };
        var history = new Dictionary<string, string?>(data!, StringComparer.Ordinal)
        {
            ["State"] = state.Name,
            ["Reason"] = state.Reason,
            ["CreatedAt"] = JobHelper.SerializeDateTime(now),
        };
        return new EnqueuedJobWrite(Guid.NewGuid().ToString(), queue, job, stateData, SerializationHelper.Serialize(history));
    }
}
