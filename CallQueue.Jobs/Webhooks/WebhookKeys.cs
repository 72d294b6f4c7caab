namespace CallQueue.Jobs.Webhooks;

/// <summary>
/// The Redis layout of the webhook outbox (under the hash tag of REDIS_KEY_PREFIX like every key; scripts and
/// transactions get each key they touch):
/// <list type="table">
/// <item><term>{p}:evt:{event_id}</term><description>string: the event (JSON, its tries included). TTL <see cref="EventLifetime"/>.</description></item>
/// <item><term>{p}:call-events:{call_id}</term><description>list: a call's event ids in sequence order.</description></item>
/// <item><term>{p}:outbox</term><description>sorted set: events whose delivery job is not created yet, score = recorded at (ms).</description></item>
/// <item><term>{p}:evt-pending</term><description>sorted set: events not delivered or given up yet, score = recorded at (ms).</description></item>
/// <item><term>{p}:evt-index</term><description>sorted set: every event kept, score = recorded at (ms), for redelivery by time.</description></item>
/// <item><term>{p}:webhook-gone</term><description>hash: endpoint URL → when it answered 410 Gone (ms).</description></item>
/// </list>
/// </summary>
internal sealed class WebhookKeys(string prefix)
{
    /// <summary>How long an event and its tries are kept.</summary>
    public static readonly TimeSpan EventLifetime = TimeSpan.FromDays(30);

    private readonly string _prefix = "{" + prefix + "}:";

    public string Event(string eventId) => _prefix + "evt:" + eventId;

    public string CallEvents(string callId) => _prefix + "call-events:" + callId;

    public string Outbox => _prefix + "outbox";

    public string Pending => _prefix + "evt-pending";

    public string Index => _prefix + "evt-index";

    public string Gone => _prefix + "webhook-gone";
}
