using System.Text.Json;

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
}
