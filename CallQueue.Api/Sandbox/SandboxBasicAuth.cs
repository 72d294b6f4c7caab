using System.Security.Cryptography;
using System.Text;

namespace CallQueue.Api.Sandbox;

/// <summary>Plivo's HTTP Basic auth: user = Auth ID (also in the path), password = Auth Token.</summary>
internal static class SandboxBasicAuth
{
    public static (string? User, string? Password) Read(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Basic ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return (null, null);
        }

        var encoded = header[scheme.Length..].Trim();
        var buffer = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, buffer, out var length))
        {
            return (null, null);
        }

        var decoded = Encoding.UTF8.GetString(buffer, 0, length);
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (decoded, null) : (decoded[..colon], decoded[(colon + 1)..]);
    }

    public static bool IsAuthorized(HttpRequest request, string routeAuthId, PlivoSandbox sandbox)
    {
        var (user, password) = Read(request);
        return user is not null
            && password is not null
            && string.Equals(user, sandbox.AuthId, StringComparison.Ordinal)
            && string.Equals(routeAuthId, user, StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(sandbox.AuthToken));
    }
}
