using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CallQueue.Jobs.Webhooks;

/// <summary>
/// Standard Webhooks 1.0 symmetric signatures (standardwebhooks.com, spec/standard-webhooks.md, "Signature scheme"):
/// <c>v1,</c> + base64(HMAC-SHA256(key, UTF-8 of <c>"{webhook-id}.{webhook-timestamp}.{body}"</c>)), one per key,
/// space-separated in the <c>webhook-signature</c> header. Written on <see cref="HMACSHA256"/>: the scheme is this small,
/// and the NuGet package of that name is a third party's.
/// </summary>
public static class StandardWebhookSigner
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    /// <summary>The version tag of an HMAC-SHA256 signature (<c>v1a</c> would be ed25519, which we do not send).</summary>
    public const string Version = "v1";

    /// <summary>How far a receiver accepts <c>webhook-timestamp</c> from its clock, either way (the official libraries' 5 minutes).</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    private const int SignatureBytes = 32;

    /// <summary>The <c>webhook-signature</c> header value: <c>v1,&lt;base64&gt;</c> for each key, in order, space-separated.</summary>
    public static string Sign(string id, long timestamp, string body, IReadOnlyList<byte[]> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            throw new ArgumentException("At least one key is needed to sign.", nameof(keys));
        }

        var content = SignedContent(id, timestamp, body);
        return string.Join(' ', keys.Select(key => Version + "," + Convert.ToBase64String(HMACSHA256.HashData(key, content))));
    }

    /// <summary>
    /// True when <paramref name="timestamp"/> is unix seconds within <paramref name="tolerance"/> (default 5 minutes) of
    /// <paramref name="now"/> and one <c>v1</c> signature of <paramref name="signatureHeader"/> matches one of
    /// <paramref name="keys"/> (compared in constant time). What a receiver does; used by the tests.
    /// </summary>
    public static bool Verify(
        string id, string timestamp, string body, string signatureHeader, IReadOnlyList<byte[]> keys, DateTimeOffset now, TimeSpan? tolerance = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (string.IsNullOrEmpty(id) || id.Contains('.', StringComparison.Ordinal) || string.IsNullOrEmpty(signatureHeader)
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(now.ToUnixTimeSeconds() - seconds) > (tolerance ?? DefaultTolerance).TotalSeconds)
        {
            return false;
        }

        var content = SignedContent(id, seconds, body);
        var expected = keys.Select(key => HMACSHA256.HashData(key, content)).ToList();
        var given = new byte[SignatureBytes];
        var match = false;
        foreach (var entry in signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = entry.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0 || !entry.AsSpan(0, comma).SequenceEqual(Version)
                || !Convert.TryFromBase64String(entry[(comma + 1)..], given, out var length) || length != SignatureBytes)
            {
                continue;
            }

            foreach (var signature in expected)
            {
                // Every candidate is compared in full, so the time taken does not tell which one (or which byte) matched.
                match |= CryptographicOperations.FixedTimeEquals(signature, given);
            }
        }

        return match;
    }

    private static byte[] SignedContent(string id, long timestamp, string body)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(body);

        // The spec forbids '.' in the id (it would let one id/timestamp/body split pass for another); ours are evt_ + hex.
        if (id.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException("A webhook id must not contain '.'.", nameof(id));
        }

        return Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{id}.{timestamp}.{body}"));
    }
}
