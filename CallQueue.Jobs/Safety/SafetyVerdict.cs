using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Safety;

/// <summary>
/// What a callee-safety rule says about dialing a call now: hold it until <see cref="Until"/> (no attempt used), or stop
/// it for good with <see cref="FinalStatus"/> (expired, blocked, or failed for a person), with the reason in words.
/// </summary>
public sealed record SafetyVerdict(SafetyRule Rule, string Reason, DateTimeOffset? Until, CallStatus? FinalStatus)
{
    public static SafetyVerdict Hold(SafetyRule rule, DateTimeOffset until, string reason) => new(rule, reason, until, null);

    public static SafetyVerdict Stop(SafetyRule rule, CallStatus finalStatus, string reason) => new(rule, reason, null, finalStatus);
}
