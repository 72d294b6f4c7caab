using System.Text.Json;

namespace CallQueue.Jobs.Plivo;

/// <summary>Reads Plivo's answers defensively: the body may be empty, HTML or JSON of another shape.</summary>
internal static class PlivoResponseBody
{
    private const int MaxErrorLength = 300;

    /// <summary>Plivo's <c>{"api_id":…,"error":…}</c>; for a body that is not JSON, its (truncated) text as the error.</summary>
    public static (string? Error, string? ApiId) ParseError(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (Truncate(body), null);
            }

            var error = root.TryGetProperty("error", out var value)
                ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
                : null;
            return (Truncate(error), GetString(root, "api_id"));
        }
        catch (JsonException)
        {
            return (Truncate(body.Trim()), null);
        }
    }

    /// <summary>The make-call answer; null when it has no request_uuid. Throws <see cref="JsonException"/> when not JSON.</summary>
    public static MakeCallResponse? ReadMakeCall(string body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var requestUuid = GetString(root, "request_uuid");
        return string.IsNullOrWhiteSpace(requestUuid)
            ? null
            : new MakeCallResponse(requestUuid, GetString(root, "message"), GetString(root, "api_id"));
    }

    /// <summary>
    /// The ids of <c>{"api_id":…,"calls":[…]}</c>: empty when there is no list, null when <c>calls</c> is not a list.
    /// Throws <see cref="JsonException"/> when not JSON.
    /// </summary>
    public static List<string>? ReadCallUuids(string body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("calls", out var calls) || calls.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        return calls.ValueKind != JsonValueKind.Array
            ? null
            : calls.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.String).Select(item => item.GetString()!).ToList();
    }

    public static string? GetString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object
        && element.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string? Truncate(string? text) =>
        text is { Length: > MaxErrorLength } ? text[..MaxErrorLength] + "…" : text;
}
