using System.Globalization;

namespace CallQueue.Api.Sandbox;

/// <summary>Plivo's JSON shapes for calls (reference/plivo-voice-api.md §6), built from sandbox calls.</summary>
internal static class SandboxPlivoResources
{
    public static Dictionary<string, object?> LiveCall(SandboxCall call)
    {
        var snapshot = call.Snapshot();
        return new()
        {
            ["api_id"] = SandboxJson.NewId(),
            ["call_status"] = snapshot.CallStatus,
            ["call_uuid"] = call.CallUuid,
            ["caller_name"] = call.Request.CallerName ?? string.Empty,
            ["direction"] = "outbound",
            ["from"] = call.Request.From,
            ["to"] = call.Request.To,
            ["request_uuid"] = call.RequestUuid,
            ["session_start"] = call.InitiatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        };
    }

    public static Dictionary<string, object?> QueuedCall(SandboxCall call) => new()
    {
        ["api_id"] = SandboxJson.NewId(),
        ["call_status"] = "queued",
        ["call_uuid"] = call.CallUuid,
        ["caller_name"] = call.Request.CallerName ?? string.Empty,
        ["direction"] = "outbound",
        ["from"] = call.Request.From,
        ["to"] = call.Request.To,
        ["request_uuid"] = call.RequestUuid,
    };

    public static Dictionary<string, object?> CallDetailRecord(string authId, SandboxCallSnapshot call) => new()
    {
        ["answer_time"] = Format(call.AnswerAt),
        ["bill_duration"] = call.BillDuration,
        ["billed_duration"] = call.BillDuration == 0 ? 0 : (call.BillDuration + 59) / 60 * 60,
        ["call_direction"] = "outbound",
        ["call_duration"] = call.Duration,
        ["call_state"] = call.CallStatus,
        ["call_uuid"] = call.CallUuid,
        ["end_time"] = Format(call.EndAt),
        ["from_number"] = call.From,
        ["hangup_cause_code"] = call.HangupCauseCode,
        ["hangup_cause_name"] = call.HangupCauseName,
        ["hangup_source"] = call.HangupSource,
        ["initiation_time"] = Format(call.InitiatedAt),
        ["parent_call_uuid"] = null,
        ["request_uuid"] = call.RequestUuid,
        ["resource_uri"] = $"/v1/Account/{authId}/Call/{call.CallUuid}/",
        ["to_number"] = call.To,
        ["total_amount"] = "0.00000",
        ["total_rate"] = "0.00000",
    };

    /// <summary>Plivo's CDR timestamp form, e.g. <c>2017-05-22 17:49:40+00:00</c>.</summary>
    private static string? Format(DateTimeOffset? value) =>
        value?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:sszzz", CultureInfo.InvariantCulture);
}
