namespace CallQueue.Jobs.Calls;

/// <summary>The callee-safety rule behind a hold or a stop (issue 11); its wire name is what queue status and metrics count by.</summary>
public enum SafetyRule
{
    /// <summary>Outside the callee's calling hours (deployment, law, the call's own window, restricted dates).</summary>
    CallingHours,

    /// <summary>Another call to the same number is dialing, ringing or in progress.</summary>
    NumberBusy,

    /// <summary>NUMBER_MIN_GAP_SECONDS since the last attempt to the number ended have not passed.</summary>
    NumberGap,

    /// <summary>MAX_ATTEMPTS_PER_NUMBER_PER_DAY, or the law's per-campaign cap, is reached for the last 24 h.</summary>
    NumberCap,

    /// <summary>The number is on the do-not-call list.</summary>
    DoNotCall,

    /// <summary>The call's expires_at passed.</summary>
    Deadline,
}
