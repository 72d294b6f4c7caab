namespace CallQueue.Jobs.Safety;

/// <summary>
/// The law's calling hours for one place (callee's local time), and its cap on calls to one person per rolling 24 h
/// where the law has one (null: none; enforced by a later slice, per campaign).
/// </summary>
public sealed record LegalRule(string Place, CallingWindow Window, int? MaxCallsPer24Hours = null);
