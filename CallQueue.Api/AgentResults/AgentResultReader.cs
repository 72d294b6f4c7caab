using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using CallQueue.Api.Calls;
using CallQueue.Api.Errors;
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
        JsonElement body,
        DateTimeOffset receivedAt,
        [NotNullWhen(true)] out string? callId,
        [NotNullWhen(true)] out AgentResult? result,
        out Dictionary<string, string[]> errors)
    {
        errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors["body"] = ["The body must be a JSON object."];
            (callId, result) = (null, null);
            return false;
        }

        // Checked first: a string that is not valid Unicode, or nesting deeper than a call record can hold, would fail
        // when the result is stored, after every field had looked fine.
        if (JsonText.FindProblem(body) is { } problem)
        {
            var field = TopLevelField(problem.Path);
            errors[field] = [$"{field}: the value at {problem.Path} {problem.Message}."];
            (callId, result) = (null, null);
            return false;
        }

        callId = ReadString(body, "call_id", CallRequestLimits.CallIdMaxLength, errors);
        if (callId is null && !errors.ContainsKey("call_id"))
        {
            errors["call_id"] = ["call_id is required: the id of the call this result belongs to."];
        }

        var outcome = ReadString(body, "call_outcome", OutcomeMaxLength, errors);
        var recordingUrl = ReadString(body, "recording_url", RecordingUrlMaxLength, errors);
        var duration = ReadDuration(body, errors);
        ReadDoNotCall(body, errors);
        var transcript = body.TryGetProperty("transcript", out var node) && node.ValueKind != JsonValueKind.Null
            ? node.Clone()
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
            Raw = body.Clone(),
        };
        return true;
    }

    /// <summary>The body's field a JSON path starts in (<c>$.transcript[3].text</c> → <c>transcript</c>), else <c>body</c>.</summary>
    private static string TopLevelField(string path)
    {
        if (!path.StartsWith("$.", StringComparison.Ordinal))
        {
            return "body";
        }

        var name = path[2..];
        var end = name.IndexOfAny(['.', '[', ' ']);
        return end < 0 ? name : name[..end];
    }

    /// <summary>A string field, or null when absent or JSON null; an empty string counts as absent.</summary>
    private static string? ReadString(JsonElement body, string field, int maxLength, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty(field, out var node) || node.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (node.ValueKind != JsonValueKind.String)
        {
            errors[field] = [$"{field} must be a string."];
            return null;
        }

        var text = node.GetString()!.Trim();
        if (text.Length > maxLength)
        {
            errors[field] = [string.Create(CultureInfo.InvariantCulture, $"{field} must be at most {maxLength} characters.")];
            return null;
        }

        return text.Length == 0 ? null : text;
    }

    /// <summary>
    /// True when the agent reports that the callee asked not to be called again: <c>"do_not_call": true</c>, or
    /// <c>call_outcome</c> <c>do_not_call</c> or <c>opt_out</c> (any case). Read from a result that passed <see cref="TryRead"/>.
    /// </summary>
    public static bool IsOptOut(AgentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return (result.Raw.TryGetProperty(DoNotCallField, out var flag) && flag.ValueKind == JsonValueKind.True)
            || string.Equals(result.CallOutcome, "do_not_call", StringComparison.OrdinalIgnoreCase)
            || string.Equals(result.CallOutcome, "opt_out", StringComparison.OrdinalIgnoreCase);
    }

    private const string DoNotCallField = "do_not_call";

    /// <summary><c>do_not_call</c>: true, false or absent. Anything else is refused: an opt-out must never be guessed at or lost.</summary>
    private static void ReadDoNotCall(JsonElement body, Dictionary<string, string[]> errors)
    {
        if (body.TryGetProperty(DoNotCallField, out var node) && node.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
        {
            errors[DoNotCallField] = [$"{DoNotCallField} must be true or false."];
        }
    }

    /// <summary>Seconds as a number (or a numeric string, as some agents send it), zero or more.</summary>
    private static double? ReadDuration(JsonElement body, Dictionary<string, string[]> errors)
    {
        const string Field = "duration_seconds";
        if (!body.TryGetProperty(Field, out var node))
        {
            return null;
        }

        double seconds;
        switch (node.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.Number when node.TryGetDouble(out var number):
                seconds = number;
                break;
            case JsonValueKind.String when double.TryParse(node.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed):
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
