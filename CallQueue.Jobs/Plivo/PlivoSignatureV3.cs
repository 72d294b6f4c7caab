using System.Security.Cryptography;
using System.Text;

namespace CallQueue.Jobs.Plivo;

/// <summary>
/// Plivo's V3 request signature (<c>X-Plivo-Signature-V3</c>), computed exactly as Plivo's SDKs do
/// (reference/plivo-voice-api.md §5.2): keys sorted ordinally, query percent-decoded, port kept, a dot only after a
/// non-empty query on POST, GET merges query and parameters into <c>k=v&amp;…</c> pairs.
/// </summary>
public static class PlivoSignatureV3
{
    private const int SignatureLength = 32; // HMAC-SHA256

    /// <summary>Base64 HMAC-SHA256 of the signed string plus <c>"." + nonce</c>, keyed with the Auth Token.</summary>
    public static string Compute(
        string method,
        string url,
        IEnumerable<KeyValuePair<string, string>> parameters,
        string nonce,
        string authToken)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(nonce);
        ArgumentNullException.ThrowIfNull(authToken);
        return Convert.ToBase64String(ComputeBytes(method, url, parameters, nonce, authToken));
    }

    /// <summary>
    /// True when any comma-separated signature in <paramref name="signatureHeader"/> matches (constant-time).
    /// Null, empty or malformed input gives false; this method never throws.
    /// </summary>
    public static bool IsValid(
        string method,
        string url,
        IEnumerable<KeyValuePair<string, string>> parameters,
        string nonce,
        string? signatureHeader,
        string authToken)
    {
        if (string.IsNullOrWhiteSpace(signatureHeader) || string.IsNullOrEmpty(nonce) || string.IsNullOrEmpty(authToken)
            || string.IsNullOrEmpty(method) || string.IsNullOrEmpty(url) || parameters is null)
        {
            return false;
        }

        var expected = ComputeBytes(method, url, parameters, nonce, authToken);
        Span<byte> candidate = stackalloc byte[SignatureLength];
        var matched = false;
        foreach (var entry in signatureHeader.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            // Every entry is checked (no early exit) so timing does not reveal which one matched.
            if (Convert.TryFromBase64String(entry, candidate, out var written) && written == SignatureLength)
            {
                matched |= CryptographicOperations.FixedTimeEquals(candidate, expected);
            }
        }

        return matched;
    }

    /// <summary>The string that is signed, before <c>"." + nonce</c> is appended.</summary>
    internal static string BuildSignedString(string method, string url, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var (baseUrl, query) = SplitUrl(url);
        var queryPairs = ParseQuery(query);
        var parameterList = parameters.ToList();

        if (string.Equals(method, "GET", StringComparison.OrdinalIgnoreCase))
        {
            var pairs = JoinPairs(queryPairs.Concat(parameterList));
            return pairs.Length == 0 ? baseUrl : baseUrl + "?" + pairs;
        }

        var queryString = JoinPairs(queryPairs);
        if (parameterList.Count == 0)
        {
            return queryString.Length == 0 ? baseUrl : baseUrl + "?" + queryString;
        }

        var builder = new StringBuilder(baseUrl).Append('?').Append(queryString);
        if (queryString.Length > 0)
        {
            builder.Append('.');
        }

        foreach (var (key, value) in Sort(parameterList))
        {
            builder.Append(key).Append(value);
        }

        return builder.ToString();
    }

    private static byte[] ComputeBytes(
        string method,
        string url,
        IEnumerable<KeyValuePair<string, string>> parameters,
        string nonce,
        string authToken)
    {
        var message = BuildSignedString(method, url, parameters) + "." + nonce;
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(message));
    }

    /// <summary>Splits off the fragment, then the query; the base keeps scheme, host, port and path byte for byte.</summary>
    private static (string BaseUrl, string Query) SplitUrl(string url)
    {
        var hash = url.IndexOf('#', StringComparison.Ordinal);
        var withoutFragment = hash >= 0 ? url[..hash] : url;
        var question = withoutFragment.IndexOf('?', StringComparison.Ordinal);
        return question >= 0
            ? (withoutFragment[..question], withoutFragment[(question + 1)..])
            : (withoutFragment, string.Empty);
    }

    /// <summary>Form-style query parsing: '&amp;'-separated, '+' is a space, percent-decoded, blank values kept.</summary>
    private static List<KeyValuePair<string, string>> ParseQuery(string query)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var key = equals >= 0 ? part[..equals] : part;
            var value = equals >= 0 ? part[(equals + 1)..] : string.Empty;
            pairs.Add(new(Decode(key), Decode(value)));
        }

        return pairs;
    }

    private static string Decode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));

    private static string JoinPairs(IEnumerable<KeyValuePair<string, string>> pairs) =>
        string.Join('&', Sort(pairs).Select(pair => pair.Key + "=" + pair.Value));

    private static IEnumerable<KeyValuePair<string, string>> Sort(IEnumerable<KeyValuePair<string, string>> pairs) =>
        pairs.OrderBy(pair => pair.Key, StringComparer.Ordinal).ThenBy(pair => pair.Value, StringComparer.Ordinal);
}
