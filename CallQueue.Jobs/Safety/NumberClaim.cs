namespace CallQueue.Jobs.Safety;

/// <summary>
/// A dial worker asks for a number right before it takes a call slot: attempt <paramref name="Attempt"/> of call
/// <paramref name="CallId"/> (of <paramref name="CampaignId"/>, whose Hangfire job is <paramref name="JobId"/>), holding
/// the number for at most <paramref name="Lease"/> (the slot's lease) under <paramref name="Limits"/>.
/// </summary>
public sealed record NumberClaim(string CallId, string PhoneNumber, string CampaignId, int Attempt, string? JobId, TimeSpan Lease, NumberLimits Limits)
{
    /// <summary>The attempt's entry in the number's rolling 24 h count.</summary>
    public string Member => $"{CallId}:{Attempt}";
}

/// <summary>The rules a claim is decided under: one call per number, the gap, the daily cap (every campaign), the law's cap per campaign (0: none).</summary>
public sealed record NumberLimits(bool OneCallPerNumber, TimeSpan MinGap, int MaxPerDay, int CampaignMaxPerDay);
