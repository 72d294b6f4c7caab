using System.Collections;
using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Storage;

/// <summary>
/// The compact JSON of a call record in Redis (issue 15): the API's conventions (<see cref="CallJson"/>) with short
/// property names (<see cref="StoredCallNames"/>), UTC instants as tick numbers (<see cref="StoredInstantConverter"/>),
/// and nothing written that reading would give back anyway: a property equal to what a new instance of its type holds
/// (its initializer: <c>priority</c> normal, <c>status</c> queued, <c>answer_method</c> POST, an empty attempt list, a
/// zero <c>attempt_offset</c>), nor the call id (its key names it), and text unescaped (a Hindi name is 3 bytes a letter,
/// not a 6-byte <c>\uXXXX</c>: the record is only ever parsed, never put into a page). A record written before issue 15 (the
/// API's JSON) is read with <see cref="ReadLegacy"/>.
/// </summary>
internal static class StoredCallJson
{
    private static readonly JsonSerializerOptions Options = Create();

    public static string Write(CallRecord call) => JsonSerializer.Serialize(call, Options);

    public static CallRecord Read(string json, string callId) =>
        (JsonSerializer.Deserialize<CallRecord>(json, Options) ?? throw new UnreachableException("A stored call record deserialized to null."))
        with { CallId = callId };

    /// <summary>A record as stored before issue 15: the API's own JSON.</summary>
    public static CallRecord ReadLegacy(string json) =>
        JsonSerializer.Deserialize<CallRecord>(json, CallJson.Options) ?? throw new UnreachableException("A stored call record deserialized to null.");

    private static JsonSerializerOptions Create()
    {
        var options = CallJson.Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));
        options.PropertyNamingPolicy = StoredCallNames.Instance;
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.Converters.Add(new StoredInstantConverter());
        options.TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OmitInitialValues, OmitCallId } };
        options.MakeReadOnly();
        return options;
    }

    // Deserializing starts from a new instance (the type's parameterless constructor and initializers), so a property
    // still equal to that instance's value reads back the same without being written. Types built through a constructor
    // with parameters (positional records) have no such instance: only their nulls are left out.
    private static void OmitInitialValues(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object || type.CreateObject is null)
        {
            return;
        }

        var fresh = type.CreateObject();
        foreach (var property in type.Properties)
        {
            if (property.Get is null)
            {
                continue;
            }

            var initial = property.Get(fresh);
            property.ShouldSerialize = (_, value) => !IsInitial(value, initial);
        }
    }

    private static void OmitCallId(JsonTypeInfo type)
    {
        if (type.Type != typeof(CallRecord))
        {
            return;
        }

        var callId = type.Properties.Single(property => property.Name == StoredCallNames.Instance.ConvertName(nameof(CallRecord.CallId)));
        callId.ShouldSerialize = static (_, _) => false;
        callId.IsRequired = false;
    }

    private static bool IsInitial(object? value, object? initial) => value switch
    {
        null => initial is null, // as WhenWritingNull; a null where a new instance holds a value must be written
        IEnumerable items and not string when initial is IEnumerable none and not string => !items.GetEnumerator().MoveNext() && !none.GetEnumerator().MoveNext(),
        _ => value.Equals(initial),
    };
}
