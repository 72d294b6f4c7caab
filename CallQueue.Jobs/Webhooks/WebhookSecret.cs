using System.Security.Cryptography;

namespace CallQueue.Jobs.Webhooks;

/// <summary>
/// A Standard Webhooks signing secret as written in WEBHOOK_SECRET: <c>whsec_</c> and the standard base64 of 24 to 64
/// random bytes (spec 1.0, "Signature scheme": at least 192 bits, 512 at most). The bytes are the HMAC key.
/// </summary>
public static class WebhookSecret
{
    public const string Prefix = "whsec_";

    public const int MinKeyBytes = 24;

    public const int MaxKeyBytes = 64;

    /// <summary>The size <see cref="Generate"/> uses: 256 bits, HMAC-SHA256's block-friendly default.</summary>
    public const int DefaultKeyBytes = 32;

    /// <summary>A new secret from the system's cryptographic random generator, e.g. for WEBHOOK_SECRET.</summary>
    public static string Generate(int keyBytes = DefaultKeyBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keyBytes, MinKeyBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(keyBytes, MaxKeyBytes);
        return Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(keyBytes));
    }

    /// <summary>The key of a <c>whsec_</c> secret; false (and an error that never quotes the secret) when it is not one.</summary>
    public static bool TryParse(string? secret, out byte[] key, out string? error)
    {
        key = [];
        if (secret is null || !secret.StartsWith(Prefix, StringComparison.Ordinal))
        {
            error = $"must start with '{Prefix}'";
            return false;
        }

        var encoded = secret.AsSpan(Prefix.Length);
        var buffer = new byte[(encoded.Length * 3 / 4) + 3];
        if (encoded.IsEmpty || !Convert.TryFromBase64Chars(encoded, buffer, out var length))
        {
            error = $"must be '{Prefix}' followed by standard base64 (A-Z a-z 0-9 + / and = padding)";
            return false;
        }

        if (length < MinKeyBytes || length > MaxKeyBytes)
        {
            error = FormattableString.Invariant($"must encode {MinKeyBytes} to {MaxKeyBytes} random bytes (got {length})");
            return false;
        }

        key = buffer[..length];
        error = null;
        return true;
    }

    /// <summary>The key of a <c>whsec_</c> secret.</summary>
    /// <exception cref="FormatException">It is not one; the message does not quote it.</exception>
    public static byte[] Parse(string secret) =>
        TryParse(secret, out var key, out var error) ? key : throw new FormatException($"A webhook secret {error}.");
}
