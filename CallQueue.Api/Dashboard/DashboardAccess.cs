using System.Security.Claims;
using CallQueue.Api.Security;
using Microsoft.AspNetCore.Authorization;

namespace CallQueue.Api.Dashboard;

/// <summary>The dashboard's roles (given by <see cref="DashboardAuthenticationHandler"/>) and what each may do.</summary>
internal static class DashboardAccess
{
    public const string AuthenticationType = "Basic";
    public const string OperatorRole = "dashboard-operator";
    public const string ViewerRole = "dashboard-viewer";

    public static ClaimsPrincipal Principal(string name, string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], AuthenticationType));

    /// <summary>
    /// Viewers see everything and change nothing: Hangfire hides its buttons and refuses its commands (401). Read-only
    /// unless <see cref="CallQueuePolicies.DashboardOperator"/> grants the user; that role check completes at once (it
    /// is not awaited, as Hangfire asks synchronously), and anything else counts as read-only.
    /// </summary>
    public static bool IsReadOnly(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var authorization = context.RequestServices.GetRequiredService<IAuthorizationService>();
        var result = authorization.AuthorizeAsync(context.User, CallQueuePolicies.DashboardOperator);
        return !(result.IsCompletedSuccessfully && result.Result.Succeeded);
    }
}
