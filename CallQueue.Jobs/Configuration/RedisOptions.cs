using Microsoft.Extensions.Configuration;

namespace CallQueue.Jobs.Configuration;

/// <summary>Where jobs and call records live. Bound from the flat variables of the seed (REDIS_URL, …).</summary>
public sealed class RedisOptions
{
    /// <summary>
    /// REDIS_URL, e.g. <c>redis://localhost:6379</c>, <c>redis://:password@host:6379/0</c> or <c>rediss://…</c> for TLS.
    /// Empty (the default) means development mode: Hangfire.InMemory and in-process call records, nothing survives a restart.
    /// </summary>
    [ConfigurationKeyName("REDIS_URL")]
    public string? Url { get; set => field = OptionsText.Normalize(value); }

    /// <summary>REDIS_KEY_PREFIX: prefix of every key CallQueue and Hangfire write. Default <c>callqueue</c>; one per environment.</summary>
    [ConfigurationKeyName("REDIS_KEY_PREFIX")]
    public string KeyPrefix { get; set; } = "callqueue";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Url);
}
