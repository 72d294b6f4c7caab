using System.Globalization;

namespace CallQueue.Api.Sandbox;

/// <summary>The form fields of the sandbox's callbacks, named as Plivo names them (reference/plivo-voice-api.md §4.2).</summary>
internal static class SandboxCallbackParameters
{
    private const string TimeFormat = "yyyy-MM-dd HH:mm:ss";
    private const string SessionFormat = "yyyy-MM-dd HH:mm:ss.ffffff";

    public static Dictionary<string, string> Ring(SandboxCall call) => Common(call, "Ring", "ringing");

    public static Dictionary<string, string> MachineDetection(SandboxCall call, bool isMachine)
    {
        var parameters = Common(call, "MachineDetection", "in-progress");
        parameters["Machine"] = isMachine ? "true" : "false";
        parameters["IfMachine"] = call.Request.MachineDetection == "hangup" ? "hangup" : "continue";
        return parameters;
    }

    public static Dictionary<string, string> Hangup(SandboxCall call)
    {
        var snapshot = call.Snapshot();
        var parameters = Common(call, "Hangup", snapshot.CallStatus);
        parameters["HangupCause"] = snapshot.HangupCause ?? string.Empty;
        parameters["HangupCauseCode"] = Format(snapshot.HangupCauseCode ?? 0);
        parameters["HangupCauseName"] = snapshot.HangupCauseName ?? string.Empty;
        parameters["HangupSource"] = snapshot.HangupSource ?? string.Empty;
        parameters["Duration"] = Format(snapshot.Duration);
        parameters["BillDuration"] = Format(snapshot.BillDuration);
        parameters["StartTime"] = Format(snapshot.InitiatedAt);
        parameters["AnswerTime"] = snapshot.AnswerAt is { } answered ? Format(answered) : string.Empty;
        parameters["EndTime"] = snapshot.EndAt is { } ended ? Format(ended) : string.Empty;
        return parameters;
    }

    private static Dictionary<string, string> Common(SandboxCall call, string eventName, string callStatus)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Event"] = eventName,
            ["CallStatus"] = callStatus,
            ["CallUUID"] = call.CallUuid,
            ["RequestUUID"] = call.RequestUuid,
            ["ALegUUID"] = call.CallUuid,
            ["ALegRequestUUID"] = call.RequestUuid,
            ["From"] = call.Request.From,
            ["To"] = call.Request.To,
            ["Direction"] = "outbound",
            ["SessionStart"] = call.InitiatedAt.UtcDateTime.ToString(SessionFormat, CultureInfo.InvariantCulture),
        };
        if (call.Request.CallerName is { } callerName)
        {
            parameters["CallerName"] = callerName;
        }

        foreach (var (name, value) in call.Request.SipHeaders)
        {
            parameters[name] = value;
        }

        return parameters;
    }

    private static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Format(DateTimeOffset value) => value.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);
}
