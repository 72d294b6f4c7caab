using Microsoft.Extensions.Options;

namespace CallQueue.Api.Dashboard;

/// <summary>
/// Dashboard accounts come in pairs (user and password), the two accounts differ, and in Production the dashboard is
/// never left without an account: the service refuses to start instead (DESIGN.md §6, §8).
/// </summary>
internal sealed class DashboardSecurityOptionsValidator(IHostEnvironment environment) : IValidateOptions<DashboardSecurityOptions>
{
    public const string MissingCredentials = "Dashboard credentials not found: set DASHBOARD_USERNAME and DASHBOARD_PASSWORD";

    public ValidateOptionsResult Validate(string? name, DashboardSecurityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrEmpty(options.Username) != string.IsNullOrEmpty(options.Password))
        {
            failures.Add("DASHBOARD_USERNAME and DASHBOARD_PASSWORD must be set together");
        }

        if (string.IsNullOrEmpty(options.ReadOnlyUsername) != string.IsNullOrEmpty(options.ReadOnlyPassword))
        {
            failures.Add("DASHBOARD_READONLY_USERNAME and DASHBOARD_READONLY_PASSWORD must be set together");
        }

        if (options.HasCredentials && options.HasReadOnlyCredentials && string.Equals(options.Username, options.ReadOnlyUsername, StringComparison.Ordinal))
        {
            failures.Add("DASHBOARD_READONLY_USERNAME must differ from DASHBOARD_USERNAME");
        }

        if (failures.Count == 0 && environment.IsProduction() && !options.RequiresSignIn)
        {
            failures.Add(MissingCredentials);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
