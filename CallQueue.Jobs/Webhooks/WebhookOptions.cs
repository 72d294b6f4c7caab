using System.Globalization;
using CallQueue.Jobs.Configuration;
using Microsoft.Extensions.Configuration;

namespace CallQueue.Jobs.Webhooks;

/// <summary>
/// Where call events are POSTed and how they are signed (issue 13). Validated at start
/// (<see cref="WebhookOptionsValidator"/>); the parsed members below read the settings leniently (a bad entry is left
/// out), which only matters before validation. Empty values mean "not set".
/// </summary>
public sealed class WebhookOptions
{
    public const string DefaultRetryDelays = "5s,5m,30m,2h,5h,10h,10h";

    /// <summary>Longest single wait in WEBHOOK_RETRY_DELAYS: a week.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromDays(7);

    /// <summary>
    /// BACKEND_URL: absolute http(s) URL every call event is POSTed to (the seed's variable), unless the call names its
    /// own <c>call_config.webhook_url</c>. Not set: no webhooks at all (and a <c>webhook_url</c> is refused).
    /// </summary>
    [ConfigurationKeyName("BACKEND_URL")]
    public string? BackendUrlSetting { get; set => field = OptionsText.Normalize(value); }

    /// <summary>BACKEND_API_KEY: sent as <c>Authorization: Bearer &lt;key&gt;</c> with every event (the seed's variable). Optional. Never logged.</summary>
    [ConfigurationKeyName("BACKEND_API_KEY")]
    public string? ApiKey { get; set => field = OptionsText.Normalize(value); }

    /// <summary>
    /// WEBHOOK_SECRET: <c>whsec_</c> + standard base64 of 24 to 64 random bytes. Several, space-separated, during a
    /// rotation: every event then carries one signature per secret. Required in Production when BACKEND_URL is set.
    /// Never logged.
    /// </summary>
    [ConfigurationKeyName("WEBHOOK_SECRET")]
    public string? Secret { get; set => field = OptionsText.Normalize(value); }

    /// <summary>
    /// WEBHOOK_ALLOWED_HOSTS: comma-separated host names (no scheme, port or path) a call's <c>call_config.webhook_url</c>
    /// may point at, any port. Default: BACKEND_URL's host only. Setting it replaces that default.
    /// </summary>
    [ConfigurationKeyName("WEBHOOK_ALLOWED_HOSTS")]
    public string? AllowedHostsSetting { get; set => field = OptionsText.Normalize(value); }

    /// <summary>
    /// WEBHOOK_RETRY_DELAYS: comma-separated waits before each retry of an undelivered event, each a whole number with
    /// s, m or h. Default 5s,5m,30m,2h,5h,10h,10h (about 1.3 days of tries); after the last, the event is Failed.
    /// </summary>
    [ConfigurationKeyName("WEBHOOK_RETRY_DELAYS")]
    public string? RetryDelaysSetting { get; set => field = OptionsText.Normalize(value); }

    /// <summary>BACKEND_URL, or null when it is not set (or not an absolute http(s) URL).</summary>
    public Uri? BackendUrl => OptionsErrors.IsHttpUrl(BackendUrlSetting) ? new Uri(BackendUrlSetting!, UriKind.Absolute) : null;

    /// <summary>Webhooks are sent at all: BACKEND_URL is set.</summary>
    public bool IsEnabled => BackendUrl is not null;

    /// <summary>The HMAC keys of WEBHOOK_SECRET, in the order written (the order of the signatures).</summary>
    public IReadOnlyList<byte[]> SecretKeys =>
        SecretEntries(Secret).Select(secret => WebhookSecret.TryParse(secret, out var key, out _) ? key : null).OfType<byte[]>().ToList();

    /// <summary>Hosts a call's <c>webhook_url</c> may point at (lower case): WEBHOOK_ALLOWED_HOSTS, else BACKEND_URL's host.</summary>
    public IReadOnlySet<string> AllowedHosts
    {
        get
        {
            var hosts = AllowedHostsSetting is null
                ? (BackendUrl is { } backend ? [NormalizeHost(backend.IdnHost)] : [])
                : HostEntries(AllowedHostsSetting).Select(NormalizeHost).Where(IsHostName);
            return hosts.ToHashSet(StringComparer.Ordinal);
        }
    }

    /// <summary>The waits before retries 1, 2, …: WEBHOOK_RETRY_DELAYS (a bad entry left out), else the default.</summary>
    public IReadOnlyList<TimeSpan> RetryDelays
    {
        get
        {
            var delays = new List<TimeSpan>();
            foreach (var entry in DelayEntries(RetryDelaysSetting ?? DefaultRetryDelays))
            {
                if (TryParseDelay(entry, out var delay))
                {
                    delays.Add(delay);
                }
            }

            return delays;
        }
    }

    /// <summary>True when <paramref name="url"/> is an absolute http(s) URL on one of <see cref="AllowedHosts"/>, with webhooks on.</summary>
    public bool IsAllowed(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return IsEnabled && url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            && AllowedHosts.Contains(NormalizeHost(url.IdnHost));
    }

    internal static string[] SecretEntries(string? value) =>
        (value ?? string.Empty).Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries);

    internal static string[] HostEntries(string value) =>
        value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    internal static string[] DelayEntries(string value) =>
        value.Split(',', StringSplitOptions.TrimEntries);

    /// <summary>Lower case, without a trailing dot or IPv6 brackets: how hosts are compared.</summary>
    internal static string NormalizeHost(string host) =>
        host.Trim().TrimEnd('.').TrimStart('[').TrimEnd(']').ToLowerInvariant();

    /// <summary>A DNS name or an IP address, as <see cref="Uri.CheckHostName"/> sees it (so no scheme, port, path or '*').</summary>
    internal static bool IsHostName(string normalizedHost) => Uri.CheckHostName(normalizedHost) != UriHostNameType.Unknown;

    /// <summary>A whole number of seconds, minutes or hours from 1 s to <see cref="MaxRetryDelay"/>: <c>5s</c>, <c>30m</c>, <c>10h</c>.</summary>
    internal static bool TryParseDelay(string text, out TimeSpan delay)
    {
        delay = default;
        long unit = text.Length < 2 ? 0 : char.ToLowerInvariant(text[^1]) switch
        {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            _ => 0,
        };
        if (unit == 0 || !int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
            || amount < 1 || amount * unit > MaxRetryDelay.TotalSeconds)
        {
            return false;
        }

        delay = TimeSpan.FromSeconds(amount * unit);
        return true;
    }
}
