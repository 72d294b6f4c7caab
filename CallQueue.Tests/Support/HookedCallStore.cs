using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Storage;

namespace CallQueue.Tests.Support;

/// <summary>
/// The in-memory call store (a product implementation, not a mock) with one hook: after an update whose result matches
/// a condition, the test acts once, as another writer would at exactly that point (another run taking the claim over
/// between the job's claim and its send, a cancel while the job waits at its gates, a stalled worker).
/// </summary>
internal sealed class HookedCallStore(InMemoryCallStore inner) : ICallStore
{
    private Hook? _hook;

    /// <summary>After the next update whose stored record matches <paramref name="when"/>, runs <paramref name="then"/> once.</summary>
    public void AfterUpdate(Func<CallRecord, bool> when, Func<CallRecord, Task> then) => _hook = new Hook(when, then);

    public async Task<CallRecord?> UpdateAsync(string callId, Func<CallRecord, CallRecord?> mutate, CancellationToken cancellationToken)
    {
        var stored = await inner.UpdateAsync(callId, mutate, cancellationToken);
        if (stored is not null && _hook is { } hook && hook.When(stored) && Interlocked.CompareExchange(ref _hook, null, hook) == hook)
        {
            await hook.Then(stored);
        }

        return stored;
    }

    // AssignJobAsync goes through UpdateAsync, as the in-memory store's own does, so the hook sees it too.
    public async Task<string?> AssignJobAsync(string callId, string jobId, CancellationToken cancellationToken) =>
        (await UpdateAsync(callId, call => call.JobId is null ? call with { JobId = jobId } : null, cancellationToken))?.JobId;

    public Task<string?> AssignJobAsync(CallRecord stored, string jobId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return AssignJobAsync(stored.CallId, jobId, cancellationToken);
    }

    public Task<IReadOnlyList<CreateCallResult>> CreateAsync(IReadOnlyList<CallRecord> calls, CancellationToken cancellationToken) =>
        inner.CreateAsync(calls, cancellationToken);

    public Task<bool> WithdrawAsync(CallRecord written, CancellationToken cancellationToken) => inner.WithdrawAsync(written, cancellationToken);

    public Task<CallRecord?> GetAsync(string callId, CancellationToken cancellationToken) => inner.GetAsync(callId, cancellationToken);

    public Task<IReadOnlyList<CallRecord>> GetManyAsync(IReadOnlyList<string> callIds, CancellationToken cancellationToken) =>
        inner.GetManyAsync(callIds, cancellationToken);

    public Task<IReadOnlyList<string>> GetCallsAwaitingJobAsync(TimeSpan olderThan, int limit, CancellationToken cancellationToken) =>
        inner.GetCallsAwaitingJobAsync(olderThan, limit, cancellationToken);

    public Task<IReadOnlyList<string>> GetBatchCallIdsAsync(string batchId, CancellationToken cancellationToken) =>
        inner.GetBatchCallIdsAsync(batchId, cancellationToken);

    public Task<BatchProgress> GetBatchProgressAsync(string batchId, CancellationToken cancellationToken) =>
        inner.GetBatchProgressAsync(batchId, cancellationToken);

    public Task<IReadOnlyList<CampaignCallEntry>> GetCampaignCallIdsAsync(
        string campaignId, CampaignCursor? after, int count, CancellationToken cancellationToken) =>
        inner.GetCampaignCallIdsAsync(campaignId, after, count, cancellationToken);

    public Task<IReadOnlyList<string>> GetActiveCallIdsAsync(int limit, CancellationToken cancellationToken) =>
        inner.GetActiveCallIdsAsync(limit, cancellationToken);

    public Task<IReadOnlyDictionary<CallStatus, long>> CountByStatusAsync(CancellationToken cancellationToken) =>
        inner.CountByStatusAsync(cancellationToken);

    public Task<IReadOnlyDictionary<SafetyRule, long>> CountWaitingByReasonAsync(CancellationToken cancellationToken) =>
        inner.CountWaitingByReasonAsync(cancellationToken);

    public Task<string?> GetFirstBatchCallIdAsync(string batchId, CancellationToken cancellationToken) =>
        inner.GetFirstBatchCallIdAsync(batchId, cancellationToken);

    public Task<CallTally?> GetCampaignTallyAsync(string campaignId, CancellationToken cancellationToken) =>
        inner.GetCampaignTallyAsync(campaignId, cancellationToken);

    public Task<CallTally?> GetBatchTallyAsync(string batchId, CancellationToken cancellationToken) =>
        inner.GetBatchTallyAsync(batchId, cancellationToken);

    public Task<LineTime> GetLineTimeAsync(CancellationToken cancellationToken) => inner.GetLineTimeAsync(cancellationToken);

    public Task<IReadOnlyList<string>> GetCampaignIdsAsync(long skip, int count, CancellationToken cancellationToken) =>
        inner.GetCampaignIdsAsync(skip, count, cancellationToken);

    public Task<IReadOnlyList<string>> FindCallIdsByPhoneNumberAsync(string phoneNumber, int limit, CancellationToken cancellationToken) =>
        inner.FindCallIdsByPhoneNumberAsync(phoneNumber, limit, cancellationToken);

    public Task<TimeSpan> PingAsync(CancellationToken cancellationToken) => inner.PingAsync(cancellationToken);

    private sealed record Hook(Func<CallRecord, bool> When, Func<CallRecord, Task> Then);
}
