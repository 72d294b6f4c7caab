using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CallQueue.Api.Errors;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Safety;
using PhoneNumbers;

namespace CallQueue.Api.Calls;

/// <summary>The text formats call requests use, shared by the request helpers and the validators.</summary>
internal static class RequestFormats
{
    /// <summary>Messages for a phone number in <paramref name="field"/>, shared by every endpoint that takes one.</summary>
    public static string PhoneNumberRequiredMessage(string field) => $"{field} is required, in E.164 format, e.g. +919123456789.";

    public static string PhoneNumberFormatMessage(string field) =>
        $"{field} must be in E.164 format, e.g. +919123456789: a + and the country code, then the number, 8 to 15 digits in all, without spaces or dashes.";

    public static string PhoneNumberInvalidMessage(string field, string reason) => $"{field} is not a valid phone number: {reason}.";

    // PhoneNumberUtil is an immutable, thread-safe singleton; GetInstance loads its metadata once.
    private static readonly PhoneNumberUtil PhoneUtil = PhoneNumberUtil.GetInstance();

    // ISO 8601 date and time, with 'T' or (as Python's isoformat(' ') writes) a space, optional seconds and
    // fraction, and an optional offset ('Z' or ±hh:mm). No offset means UTC.
    private static readonly string[] IsoDateTimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd' 'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd' 'HH:mmK",
    ];

    /// <summary>
    /// The form of every call and batch id the API accepts (<c>custom_call_id</c>, <c>batch_id</c>) or derives: 1..128
    /// characters of <c>[A-Za-z0-9._:-]</c>, and not <c>.</c> or <c>..</c> (URL paths drop those segments, so
    /// <c>/api/calls/..</c> never reaches the call). Safe in URLs, Redis keys and log lines, and read back through every
    /// URL that takes it.
    /// </summary>
    public static bool IsId(string value) =>
        value.Length is >= 1 and <= CallRequestLimits.IdMaxLength
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-')
        && !IsDotSegment(value);

    /// <summary>
    /// The form of a <c>campaign_id</c>: 1..128 characters, any text but control characters and <c>/</c> (a slash, even
    /// escaped as %2F, never reaches <c>/api/campaigns/{campaign_id}/calls</c> as one segment), and not <c>.</c> or
    /// <c>..</c>. Spaces, <c>?</c>, <c>#</c> and non-ASCII letters round-trip when the client escapes them, as it must.
    /// </summary>
    public static bool IsCampaignId(string value) =>
        value.Length is >= 1 and <= CallRequestLimits.CampaignIdMaxLength
        && HasNoControlCharacters(value)
        && !value.Contains('/', StringComparison.Ordinal)
        && !IsDotSegment(value);

    /// <summary>
    /// The batch id a bulk request without <c>batch_id</c> gets from its <c>Idempotency-Key</c>: the key itself when it has
    /// the id form (as before), else <c>key_</c> and a hash of the key, so any key yields a batch id and call ids that
    /// can be read back, and the same key always yields the same batch.
    /// </summary>
    public static string BatchIdFromIdempotencyKey(string key) =>
        IsId(key) ? key : "key_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..40];

    private static bool IsDotSegment(string value) => value is "." or "..";

    public static bool HasNoControlCharacters(string value) => !value.Any(char.IsControl);

    /// <summary><c>+</c>, a country code not starting with 0, 8..15 digits in all, nothing else.</summary>
    public static bool IsE164(string value) =>
        value.Length is >= 1 + CallRequestLimits.PhoneNumberMinDigits and <= 1 + CallRequestLimits.PhoneNumberMaxDigits
        && value[0] == '+'
        && value[1] != '0'
        && value.AsSpan(1).ContainsAnyExceptInRange('0', '9') is false;

    /// <summary>Why an E.164 number is not a valid number for its country (libphonenumber), or null when it is.</summary>
    public static string? PhoneNumberProblem(string number)
    {
        var reading = PhoneNumberReading.Of(number);
        if (reading.IsValid)
        {
            return null;
        }

        if (reading.Number is not { } parsed)
        {
            return reading.Error == ErrorType.INVALID_COUNTRY_CODE ? "it does not start with a known country code" : "it cannot be read as a phone number";
        }

        var region = PhoneUtil.GetRegionCodeForCountryCode(parsed.CountryCode);
        return region == "ZZ"
            ? $"+{parsed.CountryCode} is not a country code"
            : $"wrong number of digits or an unused prefix for country code +{parsed.CountryCode} ({region})";
    }

    /// <summary>
    /// The problem with a phone number given in <paramref name="field"/>, in the queue endpoints' words, or null when it is
    /// an E.164 number valid for its country (the form calls are stored and dialed in, unchanged).
    /// </summary>
    public static string? PhoneNumberError(string? number, string field)
    {
        if (string.IsNullOrEmpty(number))
        {
            return PhoneNumberRequiredMessage(field);
        }

        if (!IsE164(number))
        {
            return PhoneNumberFormatMessage(field);
        }

        return PhoneNumberProblem(number) is { } reason ? PhoneNumberInvalidMessage(field, reason) : null;
    }

    public static bool IsAbsoluteHttpUrl(string value) =>
        !value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
        && Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && uri.Host.Length > 0;

    public static bool IsAnswerMethod(string value) =>
        string.Equals(value, "GET", StringComparison.OrdinalIgnoreCase)
        || string.Equals(value, "POST", StringComparison.OrdinalIgnoreCase);

    public static bool TryParseIsoDateTime(string value, out DateTimeOffset result) =>
        DateTimeOffset.TryParseExact(
            value,
            IsoDateTimeFormats,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal,
            out result);

    /// <summary>low, normal, high or urgent, any case. Not <see cref="Enum.TryParse{TEnum}(string, bool, out TEnum)"/>: it takes "0" and "1,2".</summary>
    public static bool TryParsePriority(string value, out CallPriority priority)
    {
        priority = value.ToUpperInvariant() switch
        {
            "URGENT" => CallPriority.Urgent,
            "HIGH" => CallPriority.High,
            "NORMAL" => CallPriority.Normal,
            "LOW" => CallPriority.Low,
            _ => (CallPriority)(-1),
        };
        return Enum.IsDefined(priority);
    }

    /// <summary>Absent (JSON null) counts as not given.</summary>
    public static bool IsAbsent(JsonElement? element) =>
        element is null || element.Value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined;

    /// <summary>
    /// <c>true</c>, <c>false</c>, <c>"true"</c>, <c>"false"</c> or <c>"hangup"</c> (strings in any case), as Plivo's
    /// machine_detection value: <c>"true"</c>, <c>"hangup"</c>, or null for off.
    /// </summary>
    public static bool TryParseMachineDetection(JsonElement element, out string? value)
    {
        value = null;
        switch (element.ValueKind)
        {
            case JsonValueKind.True:
                value = "true";
                return true;
            case JsonValueKind.False:
                return true;
            case JsonValueKind.String when JsonText.FindProblem(element) is null:
                var text = element.GetString();
                if (string.Equals(text, "true", StringComparison.OrdinalIgnoreCase))
                {
                    value = "true";
                    return true;
                }

                if (string.Equals(text, "hangup", StringComparison.OrdinalIgnoreCase))
                {
                    value = "hangup";
                    return true;
                }

                return string.Equals(text, "false", StringComparison.OrdinalIgnoreCase);
            default:
                return false;
        }
    }

    /// <summary>Size of the element written as compact UTF-8 JSON, whatever whitespace the client sent.</summary>
    public static int CompactJsonSize(JsonElement element)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            element.WriteTo(writer);
        }

        return buffer.WrittenCount;
    }
}
