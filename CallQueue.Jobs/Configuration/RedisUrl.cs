using System.Globalization;
using StackExchange.Redis;

namespace CallQueue.Jobs.Configuration;

/// <summary>
/// Reads REDIS_URL as the seed wrote it (<c>redis://[user:password@]host[:port][/db]</c>, <c>rediss://</c> for TLS), or a
/// StackExchange.Redis configuration string (<c>host:6379,password=…</c>).
/// </summary>
public static class RedisUrl
{
    public const int DefaultPort = 6379;

    public static ConfigurationOptions Parse(string url)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        ConfigurationOptions options;
        if (url.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase))
        {
            var uri = new Uri(url);
            options = new ConfigurationOptions { Ssl = uri.Scheme.Equals("rediss", StringComparison.OrdinalIgnoreCase) };
            options.EndPoints.Add(uri.Host, uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port);
            if (!string.IsNullOrEmpty(uri.UserInfo))
            {
                var parts = uri.UserInfo.Split(':', 2);
                var user = Uri.UnescapeDataString(parts[0]);
                options.User = string.IsNullOrEmpty(user) ? null : user;
                options.Password = parts.Length == 2 ? Uri.UnescapeDataString(parts[1]) : null;
            }

            var path = uri.AbsolutePath.Trim('/');
            if (path.Length > 0)
            {
                options.DefaultDatabase = int.Parse(path, NumberStyles.None, CultureInfo.InvariantCulture);
            }
        }
        else
        {
            options = ConfigurationOptions.Parse(url);
        }

        // Keep retrying in the background instead of failing forever after one bad start (Redis restarts, failovers).
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 5_000;
        options.ClientName = "callqueue";
        return options;
    }

    /// <summary>The URL without its password, for logs and health output.</summary>
    public static string Redact(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.UserInfo))
        {
            return url.Replace(uri.UserInfo + "@", "***@", StringComparison.Ordinal);
        }

        var password = url.IndexOf("password=", StringComparison.OrdinalIgnoreCase);
        return password < 0 ? url : url[..password] + "password=***";
    }
}
