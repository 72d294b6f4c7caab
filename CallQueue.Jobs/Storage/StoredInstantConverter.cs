using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallQueue.Jobs.Storage;

/// <summary>
/// A timestamp of a stored call record: a UTC instant as a number of 100 ns ticks since the Unix epoch (17 digits,
/// lossless), against 33 characters of ISO 8601; an instant with another offset (a <c>scheduled_at</c> given with
/// +05:30) stays an ISO 8601 string, so the API gives it back as it was given. Reads both.
/// </summary>
internal sealed class StoredInstantConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number
            ? new DateTimeOffset(DateTime.UnixEpoch.Ticks + reader.GetInt64(), TimeSpan.Zero)
            : reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value.Offset == TimeSpan.Zero)
        {
            writer.WriteNumberValue(value.UtcTicks - DateTime.UnixEpoch.Ticks);
            return;
        }

        writer.WriteStringValue(value);
    }
}
