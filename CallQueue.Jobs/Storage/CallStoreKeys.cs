namespace CallQueue.Jobs.Storage;

/// <summary>
/// The Redis key schema of call records, written down once (all keys share the hash tag <c>{prefix}</c>, so they live
/// in one cluster slot and one script may touch several of them; each script is given every key it touches in KEYS,
/// never a name built inside Lua, so Redis Cluster runs it on the node serving that slot):
/// <list type="table">
/// <item><term>{p}:call:{call_id}</term><description>string: the record as compact JSON (<see cref="StoredCallJson"/>), compared whole for optimistic concurrency. No TTL. Before issue 15: a hash, <c>d</c> = the record as the API's JSON, <c>v</c> = version; still read, and rewritten as a string by its next update.</description></item>
/// <item><term>{p}:idem:{key}</term><description>string: call id created under an Idempotency-Key header. TTL 7 days.</description></item>
/// <item><term>{p}:awaiting-job</term><description>sorted set: call ids stored but without a dial job yet, score = stored at (ms). Drained by the ingest. A call stored ended (blocked), or stored together with its dial job (<see cref="IEnqueuingCallStore"/>), is never in it.</description></item>
/// <item><term>{p}:batch:{batch_id}</term><description>list: call ids of a bulk request in request order.</description></item>
/// <item><term>{p}:campaign:{campaign_id}</term><description>sorted set: a campaign's calls. A call by its id, score = stored at (ms); the calls of one bulk request (issue 15: at least <see cref="CampaignIndexGroups.MinimumGroup"/> of one campaign and batch) by one member <c>{created_at ms}/{batch_id}</c>, score = that created_at, naming their list below (<see cref="CampaignIndexGroups"/>).</description></item>
/// <item><term>{p}:cgroup:{campaign_id}/{created_at ms}/{batch_id}</term><description>list: the ids of a bulk request's calls of that campaign, in request order (issue 15). Deleted with its last call.</description></item>
/// <item><term>{p}:counts</term><description>hash: status → number of calls in it; and <c>waiting:{rule}</c> → number of
/// waiting calls held by that callee-safety rule (<see cref="WaitingCounts"/>).</description></item>
/// <item><term>{p}:active</term><description>set: call ids in dialing, ringing or in_progress.</description></item>
/// <item><term>{p}:batch-done</term><description>hash: batch id → how many of its calls are ended (for batch.completed, issue 13).</description></item>
/// <item><term>{p}:campaigns</term><description>sorted set: campaign ids, score = when its first call was stored (ms).</description></item>
/// <item><term>{p}:ctally:{campaign_id}</term><description>hash: the campaign's <see cref="CallTally"/> (<c>s:{status}</c>, <c>o:{outcome}</c>, <c>a</c>, <c>e</c>, <c>n</c>, <c>t</c>, <c>first</c>, <c>last</c>), kept with every write (issue 12).</description></item>
/// <item><term>{p}:btally:{batch_id}</term><description>hash: the same for a bulk batch.</description></item>
/// <item><term>{p}:phones:{last 4 digits}</term><description>hash: E.164 number → the id of its only call: the dashboard's search by number (issue 15: most numbers of a campaign are called once, and ~10,000 buckets of ~100 numbers at a million calls stay in Redis's compact listpack encoding, ~35 bytes a number against ~120 for a key per number).</description></item>
/// <item><term>{p}:phone:{e164}</term><description>sorted set: call ids to a number called more than once, score = stored at (ms); its second call moves the first here from the bucket. Before issue 15 every number had one.</description></item>
/// </list>
/// </summary>
internal sealed class CallStoreKeys(string prefix)
{
    public string Prefix { get; } = "{" + prefix + "}:";

    public string Call(string callId) => Prefix + "call:" + callId;

    public string Idempotency(string key) => Prefix + "idem:" + key;

    public string AwaitingJob => Prefix + "awaiting-job";

    public string Batch(string batchId) => Prefix + "batch:" + batchId;

    public string Campaign(string campaignId) => Prefix + "campaign:" + campaignId;

    /// <summary>The list a campaign index's group entry <paramref name="member"/> names (campaign ids never contain '/').</summary>
    public string CampaignGroup(string campaignId, string member) => Prefix + "cgroup:" + campaignId + "/" + member;

    public string Counts => Prefix + "counts";

    public string Active => Prefix + "active";

    public string BatchDone => Prefix + "batch-done";

    public string Campaigns => Prefix + "campaigns";

    public string CampaignTally(string campaignId) => Prefix + "ctally:" + campaignId;

    public string BatchTally(string batchId) => Prefix + "btally:" + batchId;

    public string Phone(string phoneNumber) => Prefix + "phone:" + phoneNumber;

    public string PhoneBucket(string phoneNumber) => Prefix + "phones:" + phoneNumber[Math.Max(0, phoneNumber.Length - 4)..];
}
