using System.Diagnostics.CodeAnalysis;

namespace CallQueue.Api.Calls;

/// <summary>The <c>Idempotency-Key</c> request header: queuing with a key already seen returns the existing call.</summary>
public static class IdempotencyKey
{
    public const string HeaderName = "Idempotency-Key";

    /// <summary>
    /// Checks a header value: 1..<see cref="CallRequestLimits.IdempotencyKeyMaxLength"/> printable ASCII characters,
    /// no spaces. Null (header not sent) is valid; an empty value is not.
    /// </summary>
    /// <param name="value">The header value, or null when the header is absent.</param>
    /// <param name="error">Why the value is rejected, naming the header; null when valid.</param>
    public static bool TryValidate(string? value, [NotNullWhen(false)] out string? error)
    {
        error = value switch
        {
            null => null,
            { Length: 0 or > CallRequestLimits.IdempotencyKeyMaxLength } =>
                $"{HeaderName} must be 1 to {CallRequestLimits.IdempotencyKeyMaxLength} characters long.",
            _ when value.AsSpan().ContainsAnyExceptInRange('!', '~') =>
                $"{HeaderName} must contain only printable ASCII characters, without spaces.",
            _ => null,
        };
        return error is null;
    }
}
