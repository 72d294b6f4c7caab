namespace CallQueue.Jobs.Safety;

/// <summary>
/// The do-not-call list (issue 11): numbers (E.164, as the queue endpoints take them) that must not be dialed, for every
/// campaign or for one. Two implementations: Redis (<see cref="RedisDoNotCallList"/>, key layout in
/// <see cref="DoNotCallKeys"/>) and in-process memory (<see cref="InMemoryDoNotCallList"/>). Every change to a number is
/// atomic.
/// </summary>
public interface IDoNotCallList
{
    /// <summary>
    /// Lists each number under <paramref name="entry"/>'s scope. Per number, in request order: true when added, false
    /// when the number already had an entry of that scope (left as it was; a number given twice is added once).
    /// </summary>
    Task<IReadOnlyList<bool>> AddAsync(IReadOnlyList<string> phoneNumbers, DoNotCallEntry entry, CancellationToken cancellationToken);

    /// <summary>The number's entries (global first, then by campaign id); empty when it is not listed.</summary>
    Task<IReadOnlyList<DoNotCallEntry>> GetAsync(string phoneNumber, CancellationToken cancellationToken);

    /// <summary>Removes the number's entry of one scope (null: the global entry). False when there was none.</summary>
    Task<bool> RemoveAsync(string phoneNumber, string? campaignId, CancellationToken cancellationToken);

    /// <summary>
    /// The entry that keeps a call of <paramref name="campaignId"/> to the number from being dialed: the global entry,
    /// else that campaign's; null when the call may be dialed.
    /// </summary>
    Task<DoNotCallEntry?> IsBlockedAsync(string phoneNumber, string? campaignId, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="IsBlockedAsync(string, string?, CancellationToken)"/> for many calls at once (a bulk request's items):
    /// per call, in request order, the entry that blocks it or null. Redis reads every number in pipelined chunks, not one
    /// round trip per call.
    /// </summary>
    Task<IReadOnlyList<DoNotCallEntry?>> IsBlockedAsync(
        IReadOnlyList<(string PhoneNumber, string? CampaignId)> calls, CancellationToken cancellationToken);
}
