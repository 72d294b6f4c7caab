using System.Globalization;
using System.Text.Json;

namespace CallQueue.Api.Errors;

/// <summary>
/// Checks free-form JSON a client sends us to store and hand on (<c>call_config.variables</c>, the agent's result) for
/// what the parser lets through but storing or forwarding it would not: strings or keys that are not valid Unicode (an
/// unpaired UTF-16 surrogate such as <c>"\ud800"</c> is legal JSON escaping, yet cannot be written back out), and nesting
/// too deep for the call record it is stored in.
/// </summary>
internal static class JsonText
{
    /// <summary>Deepest nesting a stored JSON value may have (the call record wraps it a few levels deeper still, under the serializer's 64).</summary>
    public const int MaxDepth = 32;

    /// <summary>
    /// The first problem in <paramref name="element"/>, as the JSON path below it (<c>$.a[2]</c>) and what is wrong there,
    /// or null when it can be stored and sent on.
    /// </summary>
    public static (string Path, string Message)? FindProblem(JsonElement element) => Walk(element, "$", depth: 0);

    private static (string Path, string Message)? Walk(JsonElement element, string path, int depth)
    {
        if (depth > MaxDepth)
        {
            return (path, string.Create(CultureInfo.InvariantCulture, $"is nested more than {MaxDepth} levels deep"));
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.String when !IsValidText(element):
                return (path, NotUnicode);
            case JsonValueKind.Object:
                var index = 0;
                foreach (var property in element.EnumerateObject())
                {
                    if (!TryGetName(property, out var name))
                    {
                        return (string.Create(CultureInfo.InvariantCulture, $"{path} (key {index})"), "has a key that " + NotUnicode);
                    }

                    if (Walk(property.Value, path + "." + name, depth + 1) is { } problem)
                    {
                        return problem;
                    }

                    index++;
                }

                return null;
            case JsonValueKind.Array:
                var position = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Walk(item, string.Create(CultureInfo.InvariantCulture, $"{path}[{position}]"), depth + 1) is { } problem)
                    {
                        return problem;
                    }

                    position++;
                }

                return null;
            default:
                return null;
        }
    }

    private const string NotUnicode = "is not valid Unicode text (an unpaired UTF-16 surrogate, \\ud800 to \\udfff without its pair)";

    // JsonElement offers no non-throwing way to ask whether an escaped string decodes to valid UTF-16: GetString()
    // (and JsonProperty.Name) throw InvalidOperationException exactly when it does not.
    private static bool IsValidText(JsonElement element)
    {
        try
        {
            _ = element.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool TryGetName(JsonProperty property, out string name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = string.Empty;
            return false;
        }
    }
}
