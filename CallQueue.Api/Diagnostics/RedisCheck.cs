using System.Globalization;
using System.Net.Sockets;
using CallQueue.Jobs.Configuration;
using StackExchange.Redis;

namespace CallQueue.Api.Diagnostics;

/// <summary>
/// REDIS_URL answers PING (with its latency), and runs as the service needs it: AOF on and maxmemory-policy noeviction
/// (WARN outside Development). Uses a connection of its own that gives up after a few seconds instead of retrying.
/// </summary>
internal static class RedisCheck
{
    public const string Name = "redis";
    private const int TimeoutMilliseconds = 3_000;
    private const int MaxErrorLength = 240;

    public static async Task RunAsync(CheckContext context, CheckReport report)
    {
        var redis = context.Redis;
        if (redis is null)
        {
            var failure = context.FirstFailureOf<RedisOptions>() ?? "the Redis settings cannot be read (see above)";
            report.Add(CheckResult.Fail(Name, "not checked: " + failure, CheckFixes.Redis));
            return;
        }

        if (!redis.IsConfigured)
        {
            context.RedisReachable = false;
            report.Add(CheckResult.Warn(
                Name,
                "REDIS_URL not set: in-memory development mode (calls and jobs are lost on restart; Production requires Redis)",
                "redis-server --appendonly yes --maxmemory-policy noeviction; export REDIS_URL=redis://localhost:6379"));
            return;
        }

        var url = RedisUrl.Redact(redis.Url!);
        try
        {
            await using var connection = await ConnectAsync(redis.Url!);
            var latency = await connection.GetDatabase().PingAsync();
            var settings = await ReadSettingsAsync(connection);
            context.RedisReachable = true;
            report.Add(CheckResult.Pass(Name, string.Create(
                CultureInfo.InvariantCulture,
                $"{url} answered PING in {latency.TotalMilliseconds:0.0} ms ({settings.Describe()}; key prefix '{redis.KeyPrefix}')")));
            if (!context.IsDevelopment)
            {
                WarnAboutPersistence(settings, report);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or SocketException)
        {
            report.Add(CheckResult.Fail(Name, $"Redis connection failed: {url} ({Describe(ex, redis.Url!)})", CheckFixes.Redis));
        }
    }

    /// <summary>A connection that fails fast (the service's own keeps retrying in the background instead).</summary>
    public static async Task<ConnectionMultiplexer> ConnectAsync(string redisUrl)
    {
        var options = RedisUrl.Parse(redisUrl);
        options.AbortOnConnectFail = true;
        options.ConnectRetry = 1;
        options.ConnectTimeout = TimeoutMilliseconds;
        options.SyncTimeout = TimeoutMilliseconds;
        options.AsyncTimeout = TimeoutMilliseconds;
        options.AllowAdmin = true; // INFO, and SCAN to remove the round trip's keys
        options.ClientName = "callqueue-check";
        return await ConnectionMultiplexer.ConnectAsync(options);
    }

    /// <summary>The first line of the error, without the password, short enough for one report line.</summary>
    public static string Describe(Exception exception, string redisUrl)
    {
        ArgumentNullException.ThrowIfNull(exception);
        // StackExchange.Redis explains its own retry options at length; the cause is what the operator needs.
        var message = exception switch
        {
            RedisConnectionException { InnerException: { } inner } connection => $"{connection.FailureType}: {inner.Message}",
            RedisConnectionException connection => $"{connection.FailureType}: no answer",
            _ => exception.Message,
        };
        message = message.Split('\n', 2)[0].Trim();
        try
        {
            if (RedisUrl.Parse(redisUrl).Password is { Length: > 0 } password)
            {
                message = message.Replace(password, "***", StringComparison.Ordinal);
            }
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or UriFormatException)
        {
            // The URL was validated before; nothing to redact if it cannot be parsed.
        }

        return message.Length <= MaxErrorLength ? message : message[..MaxErrorLength] + "…";
    }

    private static async Task<RedisSettings> ReadSettingsAsync(ConnectionMultiplexer connection)
    {
        try
        {
            var server = connection.GetServer(connection.GetEndPoints()[0]);
            var info = (await server.InfoAsync("persistence")).Concat(await server.InfoAsync("memory")).Concat(await server.InfoAsync("server"))
                .SelectMany(group => group)
                .GroupBy(pair => pair.Key, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(group => group.Key, group => group.First().Value, StringComparer.OrdinalIgnoreCase);
            return new RedisSettings(
                info.GetValueOrDefault("redis_version"),
                info.TryGetValue("aof_enabled", out var aof) ? aof == "1" : null,
                info.GetValueOrDefault("maxmemory_policy"));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // INFO may be disabled on a managed Redis: the settings are unknown, the connection still works.
            return new RedisSettings(null, null, null);
        }
    }

    private static void WarnAboutPersistence(RedisSettings settings, CheckReport report)
    {
        if (settings.AppendOnly == false)
        {
            report.Add(CheckResult.Warn(
                Name,
                "appendonly is off: accepted calls and jobs written since the last snapshot are lost if Redis restarts",
                "run redis-server with --appendonly yes (or CONFIG SET appendonly yes; on Memorystore: Standard tier with AOF persistence)"));
        }

        if (settings.EvictionPolicy is { } policy && !string.Equals(policy, "noeviction", StringComparison.OrdinalIgnoreCase))
        {
            report.Add(CheckResult.Warn(
                Name,
                $"maxmemory-policy is {policy}: under memory pressure Redis silently deletes jobs and calls",
                "run redis-server with --maxmemory-policy noeviction (CONFIG SET maxmemory-policy noeviction)"));
        }
    }

    private sealed record RedisSettings(string? Version, bool? AppendOnly, string? EvictionPolicy)
    {
        public string Describe()
        {
            var version = Version is null ? "Redis" : "Redis " + Version;
            var aof = AppendOnly switch
            {
                true => "AOF on",
                false => "AOF off",
                null => "AOF unknown",
            };
            return $"{version}, {aof}, maxmemory-policy {EvictionPolicy ?? "unknown"}";
        }
    }
}
