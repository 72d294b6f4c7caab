using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CallQueue.Api.Calls;
using CallQueue.Jobs.Calls;

namespace CallQueue.Api.AgentResults;

/// <summary>
/// Reads the agent's end-of-call result (seed protocol): <c>call_id</c> (required), <c>call_outcome</c>,
/// <c>duration_seconds</c>, <c>transcript</c> (a string or a list of turns), <c>recording_url</c>; every other field is
/// kept in <see cref="AgentResult.Raw"/>. Errors name the field.
/// </summary>
internal static class AgentResultReader
{
    public const int OutcomeMaxLength = 128;
    public const int RecordingUrlMaxLength = 2048;

    public static bool TryRead(
        JsonObject body,
        DateTimeOffset receivedAt,
        [NotNullWhen(true)] out string? callId,
        [NotNullWhen(true)] out AgentResult? result,
        out Dictionary<string, string[]> errors)
    {
        errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        callId = ReadString(body, "call_id", CallRequestLimits.IdMaxLength, errors);
        if (callId is null && !errors.ContainsKey("call_id"))
        {
            errors["call_id"] = ["call_id is required: the id of the call this result belongs to."];
        }

        var outcome = ReadString(body, "call_outcome", OutcomeMaxLength, errors);
        var recordingUrl = ReadString(body, "recording_url", RecordingUrlMaxLength, errors);
        var duration = ReadDuration(body, errors);
        var transcript = body["transcript"] is { } node && node.GetValueKind() != JsonValueKind.Null
            ? JsonSerializer.SerializeToElement(node)
            : (JsonElement?)null;
        if (errors.Count > 0 || callId is null)
        {
            result = null;
            return false;
        }

        result = new AgentResult
        {
            ReceivedAt = receivedAt,
            CallOutcome = outcome,
            DurationSeconds = duration,
            Transcript = transcript,
            RecordingUrl = recordingUrl,
            Raw = JsonSerializer.SerializeToElement(body),
        };
        return true;
    }

    /// <summary>A string field, or null when absent or JSON null; an empty string counts as absent.</summary>
    private static string? ReadString(JsonObject body, string field, int maxLength, Dictionary<string, string[]> errors)
    {
        var node = body[field];
        if (node is null)
        {
            return null;
        }

        if (node.GetValueKind() != JsonValueKind.String)
        {
            errors[field] = [$"{field} must be a string."];
            return null;
        }

        var text = node.GetValue<string>().Trim();
        if (text.Length > maxLength)
        {
            errors[field] = [string.Create(CultureInfo.InvariantCulture, $"{field} must be at most {maxLength} characters.")];
            return null;
        }

        return text.Length == 0 ? null : text;
    }

    /// <summary>Seconds as a number (or a numeric string, as some agents send it), zero or more.</summary>
    private static double? ReadDuration(JsonObject body, Dictionary<string, string[]> errors)
    {
        const string Field = "duration_seconds";
        var node = body[Field];
        double seconds;
        switch (node?.GetValueKind())
        {
            case null or JsonValueKind.Null:
                return null;
            case JsonValueKind.Number:
                seconds = node.GetValue<double>();
                break;
            case JsonValueKind.String when double.TryParse(node.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed):
                seconds = parsed;
                break;
            default:
                errors[Field] = [$"{Field} must be a number of seconds."];
                return null;
        }

        if (!double.IsFinite(seconds) || seconds < 0)
        {
            errors[Field] = [$"{Field} must be zero or more."];
            return null;
        }

        return seconds;
    }
}
