using CallQueue.Jobs.Calls;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.Options;

namespace CallQueue.Jobs.Safety;

/// <summary>
/// A call's use of its phone number (one person, one call at a time): takes it through <see cref="INumberGuard"/> under
/// the deployment's rules (NUMBER_MIN_GAP_SECONDS, MAX_ATTEMPTS_PER_NUMBER_PER_DAY, ONE_CALL_PER_NUMBER) and the law's
/// per-campaign cap, and gives it back, waking the calls that waited for it: their scheduled jobs are moved to when the
/// gap ends, so a held call is never polled.
/// </summary>
public sealed class NumberLine(INumberGuard guard, CallSafety safety, IBackgroundJobClient jobs, IOptions<NumberRulesOptions> options, TimeProvider time)
{
    /// <summary>The reason a woken job shows on the dashboard.</summary>
    public const string FreedReason = "Its number is free again";

    private static readonly TimeSpan LeastWake = TimeSpan.FromSeconds(1);

    public Task<NumberVerdict> TryTakeAsync(CallRecord call, string? jobId, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var rules = options.Value;
        var limits = new NumberLimits(rules.IsOneCallPerNumber, rules.MinGap, rules.MaxAttemptsPerDay, safety.LegalCampaignCap(call) ?? 0);
        return guard.TryTakeAsync(new NumberClaim(call.CallId, call.PhoneNumber, call.CampaignId, call.Attempts.Count + 1, jobId, lease, limits), cancellationToken);
    }

    /// <summary>
    /// Gives the number back after the call's attempt ended, or, with <paramref name="unusedAttempt"/>, after a claim
    /// that sent nothing. Never throws for a storage hiccup's sake: the number's lease runs out on its own.
    /// </summary>
    public async Task ReleaseAsync(CallRecord call, int? unusedAttempt = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        var gap = options.Value.MinGap;
        var waiters = await guard.ReleaseAsync(call.CallId, call.PhoneNumber, call.CampaignId, gap, unusedAttempt, CancellationToken.None);
        var wakeAt = (time.GetUtcNow() + (unusedAttempt is null && gap > LeastWake ? gap : LeastWake)).UtcDateTime;
        foreach (var jobId in waiters)
        {
            // Only a job still waiting (Scheduled) moves; one that ran, or was deleted, meanwhile is left as it is.
            jobs.ChangeState(jobId, new ScheduledState(wakeAt) { Reason = FreedReason }, ScheduledState.StateName);
        }
    }
}
