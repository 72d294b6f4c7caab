namespace CallQueue.Api.Dashboard;

/// <summary>Who may open the Hangfire dashboard at /hangfire (DESIGN.md §8).</summary>
public sealed class DashboardSecurityOptions
{
    /// <summary>DASHBOARD_USERNAME: basic-auth user. Without it (and the password) only requests from this machine get in.</summary>
    [ConfigurationKeyName("DASHBOARD_USERNAME")]
    public string? Username { get; set; }

    /// <summary>DASHBOARD_PASSWORD: basic-auth password. Never logged.</summary>
    [ConfigurationKeyName("DASHBOARD_PASSWORD")]
    public string? Password { get; set; }

    public bool HasCredentials => !string.IsNullOrEmpty(Username) && !string.IsNullOrEmpty(Password);
}
