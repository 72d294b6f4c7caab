using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace CallQueue.Api.Security;

/// <summary>
/// The configured API keys as SHA-256 digests, made once. A presented key is compared with every configured key in
/// constant time (the time taken does not tell which key, or how much of one, matched) and never kept or logged.
/// </summary>
internal sealed class ApiKeyRing(IOptions<ApiKeyOptions> options)
{
    private readonly (string Name, byte[] Digest)[] _keys =
        options.Value.ApiKeys.Select(key => (key.Name, Digest(key.Secret))).ToArray();

    /// <summary>False while API_KEYS is unset: the API is open (development only; Production refuses to start).</summary>
    public bool IsConfigured => _keys.Length > 0;

    /// <summary>The name of the key <paramref name="presented"/> is, or null.</summary>
    public string? Find(string presented)
    {
        var digest = Digest(presented);
        string? name = null;
        foreach (var key in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(digest, key.Digest))
            {
                name ??= key.Name;
            }
        }

        return name;
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
