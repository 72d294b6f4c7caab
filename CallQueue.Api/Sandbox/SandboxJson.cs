using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallQueue.Api.Sandbox;

/// <summary>The sandbox's own JSON conventions (snake_case like Plivo), independent of the host app's settings.</summary>
internal static class SandboxJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static IResult Write(object value, int statusCode = StatusCodes.Status200OK) =>
        Results.Json(value, Options, statusCode: statusCode);

    /// <summary>Plivo's error shape: <c>{"api_id":…,"error":…}</c>.</summary>
    public static IResult Error(int statusCode, string error) =>
        Write(new Dictionary<string, object?> { ["api_id"] = NewId(), ["error"] = error }, statusCode);

    public static string NewId() => Guid.NewGuid().ToString();
}
