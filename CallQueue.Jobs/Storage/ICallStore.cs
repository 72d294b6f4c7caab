using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Storage;

/// <summary>
/// Durable call records and their indexes. Two implementations: Redis (production) and in-process memory
/// (development without REDIS_URL). Every write is atomic per call; updates use optimistic concurrency.
/// </summary>
public interface ICallStore
{
    /// <summary>
    /// Stores new calls atomically per call: a call whose id (or idempotency key) exists is reported as a duplicate
    /// and left untouched. Created calls are marked as waiting for their dial job (<see cref="GetCallsAwaitingJobAsync"/>),
    /// except calls stored already ended (blocked at queue time), which never get one.
    /// </summary>
    Task<IReadOnlyList<CreateCallResult>> CreateAsync(IReadOnlyList<CallRecord> calls, CancellationToken cancellationToken);

    /// <summary>
    /// Takes back a call whose creation was never acknowledged (the request failed with storage unreachable and was
    /// answered 503): deletes it and its index entries, but only if it is stored exactly as <paramref name="written"/>
    /// and untouched since (no dial job, no attempt, no other request's call under the same id). True when deleted;
    /// false when it is not there (the write never landed) or has moved on.
    /// </summary>
    Task<bool> WithdrawAsync(CallRecord written, CancellationToken cancellationToken);

    Task<CallRecord?> GetAsync(string callId, CancellationToken cancellationToken);

    Task<IReadOnlyList<CallRecord>> GetManyAsync(IReadOnlyList<string> callIds, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the call, applies <paramref name="mutate"/> and writes the result if nobody changed the call meanwhile,
    /// retrying on conflict. <paramref name="mutate"/> returns null to leave the call as it is.
    /// Returns the stored record after the update (or unchanged), or null when the call does not exist.
    /// </summary>
    Task<CallRecord?> UpdateAsync(string callId, Func<CallRecord, CallRecord?> mutate, CancellationToken cancellationToken);

    /// <summary>Records <paramref name="jobId"/> as the call's dial job unless another job already owns it. Returns the owner.</summary>
    Task<string?> AssignJobAsync(string callId, string jobId, CancellationToken cancellationToken);

    /// <summary>
    /// The same for a call the caller holds exactly as stored (just created or just read): Redis writes it in one round
    /// trip when the stored record is still that one, instead of read, watch and write; otherwise as above.
    /// </summary>
    Task<string?> AssignJobAsync(CallRecord stored, string jobId, CancellationToken cancellationToken);

    /// <summary>Calls stored longer ago than <paramref name="olderThan"/> whose dial job has not been created yet.</summary>
    Task<IReadOnlyList<string>> GetCallsAwaitingJobAsync(TimeSpan olderThan, int limit, CancellationToken cancellationToken);

    /// <summary>How many calls a batch has and how many of them are ended (terminal), kept with every write: O(1).</summary>
    Task<BatchProgress> GetBatchProgressAsync(string batchId, CancellationToken cancellationToken);

    /// <summary>The ids of a batch's calls in request order.</summary>
    Task<IReadOnlyList<string>> GetBatchCallIdsAsync(string batchId, CancellationToken cancellationToken);

    /// <summary>The id of a batch's first call (in request order): O(1); null for a batch nobody queued.</summary>
    Task<string?> GetFirstBatchCallIdAsync(string batchId, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="count"/> of a campaign's calls, newest first (ties in reverse call id order; a bulk request's
    /// calls, indexed as one group, in reverse request order at the group's place: <see cref="CampaignIndexGroups"/>), starting just
    /// past <paramref name="after"/> (null: from the newest). Walk on with <see cref="CampaignCursor.After"/>.
    /// </summary>
    Task<IReadOnlyList<CampaignCallEntry>> GetCampaignCallIdsAsync(string campaignId, CampaignCursor? after, int count, CancellationToken cancellationToken);

    /// <summary>Ids of calls whose status is dialing, ringing or in progress.</summary>
    Task<IReadOnlyList<string>> GetActiveCallIdsAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Number of calls per status, over all calls stored.</summary>
    Task<IReadOnlyDictionary<CallStatus, long>> CountByStatusAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Number of calls waiting (queued, scheduled or retry) on a callee-safety hold, per the hold's rule (every rule, zero
    /// when none), over all calls stored.
    /// </summary>
    Task<IReadOnlyDictionary<SafetyRule, long>> CountWaitingByReasonAsync(CancellationToken cancellationToken);

    /// <summary>A campaign's calls summed up, kept with every write: O(1). Null when no call was stored under it.</summary>
    Task<CallTally?> GetCampaignTallyAsync(string campaignId, CancellationToken cancellationToken);

    /// <summary>A bulk batch's calls summed up, kept with every write: O(1). Null when no call was stored under it.</summary>
    Task<CallTally?> GetBatchTallyAsync(string batchId, CancellationToken cancellationToken);

    /// <summary>Attempts that ended over all calls stored, and the seconds they held a line: O(1).</summary>
    Task<LineTime> GetLineTimeAsync(CancellationToken cancellationToken);

    /// <summary>Campaign ids, newest first (by their first call), skipping <paramref name="skip"/>.</summary>
    Task<IReadOnlyList<string>> GetCampaignIdsAsync(long skip, int count, CancellationToken cancellationToken);

    /// <summary>Ids of the calls to <paramref name="phoneNumber"/> (E.164, exact), newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<string>> FindCallIdsByPhoneNumberAsync(string phoneNumber, int limit, CancellationToken cancellationToken);

    /// <summary>Round trip to the store, for health checks.</summary>
    Task<TimeSpan> PingAsync(CancellationToken cancellationToken);
}
