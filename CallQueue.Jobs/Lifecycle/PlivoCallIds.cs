using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Lifecycle;

/// <summary>
/// The Plivo call a callback or record speaks of: its request_uuid (<c>RequestUUID</c>) and call_uuid (<c>CallUUID</c>),
/// either of which may be missing.
/// </summary>
public readonly record struct PlivoCallIds(string? RequestUuid, string? CallUuid)
{
    /// <summary>
    /// False when a uuid both sides know differs: the attempt's request_uuid (from Plivo's answer or an earlier callback)
    /// and call_uuid (from the first callback) pin the attempt to one Plivo call.
    /// </summary>
    public bool Matches(CallAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return Agrees(attempt.RequestUuid, RequestUuid) && Agrees(attempt.CallUuid, CallUuid);
    }

    /// <summary>The attempt with the uuids it did not know yet filled in from these.</summary>
    public CallAttempt RecordOn(CallAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return attempt.RequestUuid is null && RequestUuid is not null || attempt.CallUuid is null && CallUuid is not null
            ? attempt with { RequestUuid = attempt.RequestUuid ?? RequestUuid, CallUuid = attempt.CallUuid ?? CallUuid }
            : attempt;
    }

    private static bool Agrees(string? known, string? given) =>
        known is null || given is null || string.Equals(known, given, StringComparison.OrdinalIgnoreCase);
}
