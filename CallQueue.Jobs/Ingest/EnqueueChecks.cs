using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Campaigns;
using CallQueue.Jobs.Queues;
using CallQueue.Jobs.Safety;
using CallQueue.Jobs.Storage;
using StackExchange.Redis;

namespace CallQueue.Jobs.Ingest;

/// <summary>
/// What the single enqueue reads before it writes, handed to the write itself (<see cref="EnqueueGuard"/>, issue 15): the
/// request is then one round trip to Redis instead of two (the reads cost the service more than the write: side by side,
/// 0.58-0.63 of a bare Hangfire enqueue with them, 0.75-0.92 without them, docs/benchmarks.md). The write happens only when
/// the number has no entry at all on the do-not-call list (its field in its bucket, <see cref="DoNotCallKeys"/>) and
/// neither the call's campaign nor its batch has a state recorded (the control hash holds paused or cancelled; absent is
/// active, <see cref="RedisCampaignStates"/>). Anything found stops the write, and the caller takes the
/// way that reads each and decides with its reasons (blocked, paused, refused): a conservative test, never a weaker one. The
/// dial queues' lengths (<c>queue_position</c>) are read in the same step, just before the call's job is pushed.
/// </summary>
public sealed class EnqueueChecks
{
    private readonly DoNotCallKeys _doNotCall;
    private readonly RedisKey _control;
    private readonly RedisKey[] _queues;

    /// <param name="keyPrefix">REDIS_KEY_PREFIX.</param>
    /// <param name="hangfirePrefix">The key prefix of Hangfire's Redis storage.</param>
    public EnqueueChecks(string keyPrefix, string hangfirePrefix)
    {
        _doNotCall = new DoNotCallKeys(keyPrefix);
        _control = RedisCampaignStates.ControlKey(keyPrefix);
        _queues = RedisDialQueueLengths.QueueKeys(hangfirePrefix).Select(key => (RedisKey)key).ToArray();
    }

    /// <summary>The guard of <paramref name="call"/>'s write (a validated call: its number is E.164).</summary>
    public EnqueueGuard For(CallRecord call)
    {
        ArgumentNullException.ThrowIfNull(call);
        List<(RedisKey, RedisValue)> absent =
        [
            (_doNotCall.Bucket(call.PhoneNumber), DoNotCallKeys.Field(call.PhoneNumber)),
            (_control, ControlTarget.Campaign(call.CampaignId).ToString()),
        ];
        if (call.BatchId is { } batchId)
        {
            absent.Add((_control, ControlTarget.Batch(batchId).ToString()));
        }

        return new EnqueueGuard(absent, _queues);
    }

    /// <summary>The dial queues' lengths a guarded write read (<see cref="EnqueueResult.Lengths"/>).</summary>
    public static DialQueueLengths Lengths(EnqueueResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return RedisDialQueueLengths.From(result.Lengths);
    }
}
