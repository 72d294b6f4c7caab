using System.Net.Http.Headers;
using System.Text;

namespace CallQueue.Tests.Dashboard;

/// <summary>The two dashboard accounts the dashboard tests configure.</summary>
internal static class DashboardTestAccounts
{
    public const string OperatorUser = "operator";
    public const string OperatorPassword = "operator-secret-1";
    public const string ViewerUser = "viewer";
    public const string ViewerPassword = "viewer-secret-1";

    public static Dictionary<string, string?> Settings() => new()
    {
        ["DASHBOARD_USERNAME"] = OperatorUser,
        ["DASHBOARD_PASSWORD"] = OperatorPassword,
        ["DASHBOARD_READONLY_USERNAME"] = ViewerUser,
        ["DASHBOARD_READONLY_PASSWORD"] = ViewerPassword,
    };

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
}
