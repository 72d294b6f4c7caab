using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CallQueue.Api.Errors;

internal static class JsonProblems
{
    /// <summary>"The JSON value at $.calls[3].max_retries could not be read: …" — names the field a client got wrong.</summary>
    public static string Describe(JsonException exception)
    {
        var path = string.IsNullOrEmpty(exception.Path) ? "$" : exception.Path;
        var line = exception.LineNumber is { } l ? $" (line {l + 1})" : string.Empty;
        return $"The request body is not valid JSON for this endpoint at {path}{line}: expected types are documented in the README.";
    }

    /// <summary>The JSON path of the failure in snake_case field terms, e.g. <c>calls[3].max_retries</c>.</summary>
    public static string Field(JsonException exception) =>
        string.IsNullOrEmpty(exception.Path) || exception.Path == "$" ? "body" : exception.Path.TrimStart('$', '.');

    /// <summary>
    /// What was wrong with the field, in the client's terms (<c>must be a whole number.</c>), never the serializer's words,
    /// which name .NET types (<c>System.Nullable`1[System.Int32]</c>, <c>CallQueue.Api.Calls.QueueCallRequest</c>).
    /// The expected kind is read from the body type's serialization contract at the failing path.
    /// </summary>
    public static string Explain(JsonException exception, Type bodyType, JsonSerializerOptions options)
    {
        if (exception.InnerException is InvalidOperationException { Message: var inner } && inner.Contains("UTF", StringComparison.Ordinal))
        {
            // A string the reader cannot turn into text: an escaped unpaired surrogate ("\ud800") or bad UTF-8. The reader
            // says so only in its message ("…incomplete UTF-16 JSON text…", "…invalid UTF-8 JSON text…").
            return "must be valid Unicode text (UTF-8, and no unpaired UTF-16 surrogate such as \\ud800).";
        }

        // The reader's own exceptions (a subtype, sometimes wrapped by a converter) describe the JSON syntax or depth by
        // position and character, never a type.
        var reader = exception.GetType() != typeof(JsonException) ? exception
            : exception.InnerException is JsonException wrapped && wrapped.GetType() != typeof(JsonException) ? wrapped
            : null;
        if (reader is not null)
        {
            return "is not valid JSON: " + reader.Message.Split(" LineNumber:", 2)[0].Split(" Path:", 2)[0];
        }

        return ExpectedKind(options, bodyType, exception.Path) is { } kind ? $"must be {kind}." : "has a value of the wrong type.";
    }

    private static string? ExpectedKind(JsonSerializerOptions options, Type bodyType, string? path)
    {
        options.MakeReadOnly(populateMissingResolver: true);
        var info = options.GetTypeInfo(bodyType);
        foreach (var segment in Segments(path))
        {
            Type? next;
            if (segment.StartsWith('['))
            {
                next = info.ElementType;
            }
            else
            {
                next = info.Properties.FirstOrDefault(property => property.Name == segment)?.PropertyType;
            }

            if (next is null)
            {
                return null;
            }

            info = options.GetTypeInfo(next);
        }

        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        return type switch
        {
            _ when type == typeof(string) => "a string",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(int) || type == typeof(long) => string.Create(CultureInfo.InvariantCulture, $"a whole number (at most {(type == typeof(int) ? int.MaxValue : long.MaxValue)})"),
            _ when type == typeof(double) || type == typeof(decimal) => "a number",
            _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "an ISO 8601 date and time, e.g. 2030-01-31T14:30:00Z",
            _ when type == typeof(JsonElement) || type == typeof(JsonDocument) => "a JSON value",
            _ when info.Kind == JsonTypeInfoKind.Enumerable => "a JSON array",
            _ when info.Kind is JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary => "a JSON object",
            _ => null,
        };
    }

    /// <summary><c>$.calls[3].call_config</c> → <c>calls</c>, <c>[3]</c>, <c>call_config</c>; <c>$['a.b']</c> → <c>a.b</c>.</summary>
    private static IEnumerable<string> Segments(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            yield break;
        }

        var i = path.StartsWith('$') ? 1 : 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                yield return path[(i + 1)..end];
                i = end;
            }
            else if (path.AsSpan(i).StartsWith("['"))
            {
                var end = path.IndexOf("']", i, StringComparison.Ordinal);
                if (end < 0)
                {
                    yield break;
                }

                yield return path[(i + 2)..end];
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                if (end < 0)
                {
                    yield break;
                }

                yield return path[i..(end + 1)];
                i = end + 1;
            }
            else
            {
                yield break;
            }
        }
    }
}
