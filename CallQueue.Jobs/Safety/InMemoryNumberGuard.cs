using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Safety;

/// <summary>The number gate in this process only (no REDIS_URL); the semantics of <see cref="RedisNumberGuard"/>, on <see cref="TimeProvider"/>'s clock.</summary>
public sealed class InMemoryNumberGuard(IDoNotCallList doNotCall, TimeProvider time) : INumberGuard
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (string CallId, DateTimeOffset Until)> _live = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _gapUntil = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, DateTimeOffset>> _attempts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _waiters = new(StringComparer.Ordinal);

    public async Task<NumberVerdict> TryTakeAsync(NumberClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        if (await doNotCall.IsBlockedAsync(claim.PhoneNumber, claim.CampaignId, cancellationToken) is { } entry)
        {
            return new NumberVerdict(SafetyRule.DoNotCall, TimeSpan.Zero, entry, null);
        }

        var number = claim.PhoneNumber;
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (claim.Limits.OneCallPerNumber && _live.TryGetValue(number, out var live) && live.Until > now && live.CallId != claim.CallId)
            {
                if (claim.JobId is not null)
                {
                    (_waiters.TryGetValue(number, out var waiting) ? waiting : _waiters[number] = new HashSet<string>(StringComparer.Ordinal)).Add(claim.JobId);
                }

                return new NumberVerdict(SafetyRule.NumberBusy, live.Until - now, null, live.CallId);
            }

            if (_gapUntil.TryGetValue(number, out var gapUntil) && gapUntil > now)
            {
                return new NumberVerdict(SafetyRule.NumberGap, gapUntil - now, null, null);
            }

            var everyCampaign = Attempts(number, now);
            var ofCampaign = Attempts(CampaignKey(number, claim.CampaignId), now);
            if ((Capped(everyCampaign, claim.Limits.MaxPerDay, claim.Member, now) ?? Capped(ofCampaign, claim.Limits.CampaignMaxPerDay, claim.Member, now)) is { } wait)
            {
                return new NumberVerdict(SafetyRule.NumberCap, wait, null, null);
            }

            if (claim.Limits.OneCallPerNumber)
            {
                _live[number] = (claim.CallId, now + claim.Lease);
            }

            if (claim.Limits.MaxPerDay > 0)
            {
                everyCampaign[claim.Member] = now;
            }

            if (claim.Limits.CampaignMaxPerDay > 0)
            {
                ofCampaign[claim.Member] = now;
            }

            return NumberVerdict.Taken;
        }
    }

    public Task<IReadOnlyList<string>> ReleaseAsync(
        string callId, string phoneNumber, string campaignId, TimeSpan minGap, int? unusedAttempt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_live.TryGetValue(phoneNumber, out var live) && live.CallId == callId)
            {
                _live.Remove(phoneNumber);
            }

            if (unusedAttempt is { } attempt)
            {
                var member = $"{callId}:{attempt}";
                Attempts(phoneNumber, now).Remove(member);
                Attempts(CampaignKey(phoneNumber, campaignId), now).Remove(member);
            }
            else if (minGap > TimeSpan.Zero)
            {
                _gapUntil[phoneNumber] = now + minGap;
            }

            if ((_live.TryGetValue(phoneNumber, out var other) && other.Until > now) || !_waiters.Remove(phoneNumber, out var waiters))
            {
                return Task.FromResult<IReadOnlyList<string>>([]);
            }

            return Task.FromResult<IReadOnlyList<string>>(waiters.ToList());
        }
    }

    private static string CampaignKey(string number, string campaignId) => number + ":" + campaignId;

    // The attempts of the last 24 h (older ones dropped).
    private Dictionary<string, DateTimeOffset> Attempts(string key, DateTimeOffset now)
    {
        if (!_attempts.TryGetValue(key, out var attempts))
        {
            return _attempts[key] = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        }

        foreach (var (member, at) in attempts.Where(entry => entry.Value <= now - Day).ToList())
        {
            attempts.Remove(member);
        }

        return attempts;
    }

    private static TimeSpan? Capped(Dictionary<string, DateTimeOffset> attempts, int cap, string member, DateTimeOffset now) =>
        cap <= 0 || attempts.ContainsKey(member) || attempts.Count < cap ? null : attempts.Values.Min() + Day - now;
}
