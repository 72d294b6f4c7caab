using System.Security.Claims;

namespace CallQueue.Api.Dashboard;

/// <summary>What the signed-in dashboard user may do: the role <see cref="DashboardAuthenticationMiddleware"/> gives them.</summary>
internal static class DashboardAccess
{
    public const string AuthenticationType = "Basic";
    public const string OperatorRole = "dashboard-operator";
    public const string ViewerRole = "dashboard-viewer";

    public static ClaimsPrincipal Principal(string name, string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], AuthenticationType));

    /// <summary>Viewers see everything and change nothing: Hangfire hides its buttons and refuses its commands (401).</summary>
    public static bool IsReadOnly(HttpContext context) => !context.User.IsInRole(OperatorRole);
}
