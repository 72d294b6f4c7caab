using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallQueue.Jobs.Plivo;

/// <summary>JSON conventions of Plivo's REST API: snake_case, nulls omitted, numbers tolerated as strings.</summary>
internal static class PlivoJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };
}
