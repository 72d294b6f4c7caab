namespace CallQueue.Api.Dashboard;

/// <summary>Who may open the Hangfire dashboard at /hangfire (DESIGN.md §8). Checked at start by <see cref="DashboardSecurityOptionsValidator"/>.</summary>
public sealed class DashboardSecurityOptions
{
    /// <summary>
    /// DASHBOARD_USERNAME: basic-auth user who may see and change everything (requeue, delete). Without any dashboard
    /// account only requests from this machine get in, and in Production the service does not start.
    /// </summary>
    [ConfigurationKeyName("DASHBOARD_USERNAME")]
    public string? Username { get; set; }

    /// <summary>DASHBOARD_PASSWORD: that user's password. Never logged.</summary>
    [ConfigurationKeyName("DASHBOARD_PASSWORD")]
    public string? Password { get; set; }

    /// <summary>DASHBOARD_READONLY_USERNAME: optional basic-auth user who sees everything and can change nothing.</summary>
    [ConfigurationKeyName("DASHBOARD_READONLY_USERNAME")]
    public string? ReadOnlyUsername { get; set; }

    /// <summary>DASHBOARD_READONLY_PASSWORD: the read-only user's password. Never logged.</summary>
    [ConfigurationKeyName("DASHBOARD_READONLY_PASSWORD")]
    public string? ReadOnlyPassword { get; set; }

    public bool HasCredentials => !string.IsNullOrEmpty(Username) && !string.IsNullOrEmpty(Password);

    public bool HasReadOnlyCredentials => !string.IsNullOrEmpty(ReadOnlyUsername) && !string.IsNullOrEmpty(ReadOnlyPassword);

    /// <summary>Basic auth is on as soon as either account is set; otherwise the dashboard is for this machine only.</summary>
    public bool RequiresSignIn => HasCredentials || HasReadOnlyCredentials;
}
