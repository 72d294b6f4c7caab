using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Lifecycle;

/// <summary>
/// A claimed attempt whose request never left is removed, so whoever dials claims its number again. With
/// <paramref name="MarkedByThisRun"/> the claim's own run gives it back and knows nothing was sent, even if it had
/// recorded <see cref="CallAttempt.SentAt"/> already (a stale rate grant, then a wait that ran out).
/// </summary>
public sealed record GiveBackAttempt(CallAttempt Claim, string Why, bool MarkedByThisRun) : CallEvent;
