using System.Text.Json;

namespace CallQueue.Jobs.Plivo;

/// <summary>Reads Plivo's <c>{"api_id":…,"error":…}</c> defensively: the body may be empty, HTML or any JSON.</summary>
internal static class PlivoErrorBody
{
    private const int MaxErrorLength = 300;

    public static (string? Error, string? ApiId) Parse(string? body)
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

    public static string? GetString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object
        && element.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string? Truncate(string? text) =>
        text is { Length: > MaxErrorLength } ? text[..MaxErrorLength] + "…" : text;
}
