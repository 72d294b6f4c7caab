namespace CallQueue.Api.Sandbox;

/// <summary>How a sandbox call ended, in Plivo's words (reference/plivo-voice-api.md §4.3–4.4).</summary>
internal sealed record SandboxHangup(string CallStatus, string Cause, int Code, string Name, string Source)
{
    public static SandboxHangup Normal { get; } = new("completed", "NORMAL_CLEARING", 4000, "Normal Hangup", "Callee");

    public static SandboxHangup TimeLimit { get; } = new("completed", "ALLOTTED_TIMEOUT", 6000, "Scheduled Hangup", "Plivo");

    public static SandboxHangup MachineDetected { get; } = new("completed", "MACHINE_DETECTED", 9100, "Machine Detected", "Plivo");

    public static SandboxHangup Busy { get; } = new("busy", "USER_BUSY", 3010, "Busy Line", "Callee");

    public static SandboxHangup Rejected { get; } = new("busy", "CALL_REJECTED", 3020, "Rejected", "Callee");

    public static SandboxHangup NoAnswer { get; } = new("no-answer", "NO_ANSWER", 6010, "Ring Timeout Reached", "Plivo");

    public static SandboxHangup UnallocatedNumber { get; } = new("failed", "UNALLOCATED_NUMBER", 3050, "Unallocated Number", "Carrier");

    public static SandboxHangup NetworkError { get; } = new("failed", "NETWORK_OUT_OF_ORDER", 5000, "Network Error", "Plivo");

    /// <summary>DELETE /Call/{uuid}/ on an answered call.</summary>
    public static SandboxHangup ApiHangup { get; } = new("completed", "NORMAL_CLEARING", 4000, "Normal Hangup", "API Request");

    /// <summary>DELETE /Call/{uuid}/ or /Request/{uuid}/ before answer: 1000 Canceled.</summary>
    public static SandboxHangup ApiCancel { get; } = new("cancel", "ORIGINATOR_CANCEL", 1000, "Canceled", "API Request");
}
