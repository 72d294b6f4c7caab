using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallQueue.Jobs.Calls;

/// <summary>The one JSON shape of calls, in storage and on the wire: snake_case, enums as snake_case strings, nulls omitted.</summary>
public static class CallJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Applies CallQueue's JSON conventions to <paramref name="options"/> (also used for the HTTP API).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.ReadCommentHandling = JsonCommentHandling.Skip;
        options.AllowTrailingCommas = true;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        return options;
    }

    /// <summary>The wire name of an enum value (<c>InProgress</c> → <c>in_progress</c>).</summary>
    public static string ToWire<TEnum>(this TEnum value)
        where TEnum : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
