namespace CallQueue.Api.Sandbox;

/// <summary>How a sandbox call ends (JSON: snake_case, e.g. <c>no_answer</c>).</summary>
public enum SandboxOutcome
{
    /// <summary>Ring, answer, talk, callee hangs up: 4000 Normal Hangup (6000 when time_limit cuts it).</summary>
    Answered,

    /// <summary>Ring then busy: CallStatus busy, USER_BUSY 3010 Busy Line.</summary>
    Busy,

    /// <summary>Ring until the ring timeout: CallStatus no-answer, NO_ANSWER 6010 Ring Timeout Reached.</summary>
    NoAnswer,

    /// <summary>Ring then rejected by the callee: CallStatus busy, CALL_REJECTED 3020 Rejected.</summary>
    Rejected,

    /// <summary>No ring, at once: CallStatus failed, UNALLOCATED_NUMBER 3050 Unallocated Number.</summary>
    InvalidNumber,

    /// <summary>Answered by a machine: machine_detection_url gets Machine=true; with machine_detection=hangup, 9100 Machine Detected.</summary>
    Machine,

    /// <summary>No ring, after the ring delay: CallStatus failed, NETWORK_OUT_OF_ORDER 5000 Network Error.</summary>
    NetworkError,
}
