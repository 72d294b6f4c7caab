using Microsoft.Extensions.Configuration;

namespace CallQueue.Jobs.Configuration;

/// <summary>The Plivo account and where its callbacks reach us (DESIGN.md §6–7).</summary>
public sealed class PlivoOptions
{
    public const string DefaultApiUrl = "https://api.plivo.com";
    public const string SandboxAuthId = "MASANDBOX00000000000";
    public const string SandboxAuthToken = "sandbox-auth-token-not-a-secret";
    public const string SandboxNumber = "14155550100";

    /// <summary>PLIVO_AUTH_ID: account or subaccount Auth ID (MA…/SA…). Required in live mode.</summary>
    [ConfigurationKeyName("PLIVO_AUTH_ID")]
    public string? AuthId { get; set => field = OptionsText.Normalize(value); }

    /// <summary>PLIVO_AUTH_TOKEN: the Auth Token; also signs the callbacks (V3). Never logged.</summary>
    [ConfigurationKeyName("PLIVO_AUTH_TOKEN")]
    public string? AuthToken { get; set => field = OptionsText.Normalize(value); }

    /// <summary>PLIVO_NUMBER: the caller ID every call is placed from.</summary>
    [ConfigurationKeyName("PLIVO_NUMBER")]
    public string? Number { get; set => field = OptionsText.Normalize(value); }

    /// <summary>PLIVO_API_URL: base of Plivo's REST API. Default https://api.plivo.com; in sandbox mode the app's own sandbox.</summary>
    [ConfigurationKeyName("PLIVO_API_URL")]
    public string? ApiUrl { get; set => field = OptionsText.Normalize(value); }

    /// <summary>PLIVO_MODE: <c>live</c> or <c>sandbox</c>. Empty: sandbox when no credentials are set (development only).</summary>
    [ConfigurationKeyName("PLIVO_MODE")]
    public string? Mode { get; set => field = OptionsText.Normalize(value); }

    /// <summary>PLIVO_TIMEOUT_SECONDS: how long one create-call request may take. Default 10 s.</summary>
    [ConfigurationKeyName("PLIVO_TIMEOUT_SECONDS")]
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>PUBLIC_BASE_URL: where Plivo reaches our callbacks (https://queue.example.com). Default: the app's own address.</summary>
    [ConfigurationKeyName("PUBLIC_BASE_URL")]
    public string? PublicBaseUrl { get; set => field = OptionsText.Normalize(value); }

    public bool HasCredentials => !string.IsNullOrWhiteSpace(AuthId) && !string.IsNullOrWhiteSpace(AuthToken);

    /// <summary>True when calls go to the built-in sandbox instead of Plivo.</summary>
    public bool IsSandbox => string.Equals(Mode, "sandbox", StringComparison.OrdinalIgnoreCase)
        || (string.IsNullOrWhiteSpace(Mode) && !HasCredentials);
}
