namespace CallQueue.Jobs.Safety;

/// <summary>
/// The dial-time gate on a phone number (issue 11), one atomic step per dial: the do-not-call list, one call per number
/// (any campaign), the gap since the last attempt ended, and the rolling 24 h caps; when all pass, the number is taken
/// (held for the attempt, the attempt counted). Redis (<see cref="RedisNumberGuard"/>, one script, no other round trip)
/// or in-process memory (<see cref="InMemoryNumberGuard"/>).
/// </summary>
public interface INumberGuard
{
    Task<NumberVerdict> TryTakeAsync(NumberClaim claim, CancellationToken cancellationToken);

    /// <summary>
    /// Gives the number back after an attempt ended (the gap starts), or, with <paramref name="unusedAttempt"/>, after a
    /// claim that sent nothing (no gap; the attempt is not counted). Idempotent; never frees a number another call holds.
    /// Returns the Hangfire job ids of calls that waited for the number to be free.
    /// </summary>
    Task<IReadOnlyList<string>> ReleaseAsync(string callId, string phoneNumber, string campaignId, TimeSpan minGap, int? unusedAttempt, CancellationToken cancellationToken);
}
