using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace CallQueue.Api.Dashboard;

/// <summary>
/// Guards /hangfire before Hangfire sees the request: basic auth when a dashboard account is set (works in a container,
/// unlike Hangfire's local-only default), otherwise requests from this machine only (development; Production refuses to
/// start without an account). The operator account (DASHBOARD_USERNAME) may change things; the read-only account
/// (DASHBOARD_READONLY_USERNAME) gets a viewer role, for which Hangfire hides its buttons and refuses its commands.
/// Passwords are compared in constant time and never logged.
/// </summary>
internal sealed class DashboardAuthenticationMiddleware(RequestDelegate next, IOptions<DashboardSecurityOptions> options)
{
    private const string Challenge = "Basic realm=\"CallQueue dashboard\", charset=\"UTF-8\"";

    public Task InvokeAsync(HttpContext context)
    {
        var security = options.Value;
        if (security.RequiresSignIn)
        {
            var role = Authenticate(context.Request, security);
            if (role is null)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = Challenge;
                return Task.CompletedTask;
            }

            context.User = DashboardAccess.Principal(role.Value.User, role.Value.Role);
            return next(context);
        }

        if (IsLocal(context.Connection))
        {
            context.User = DashboardAccess.Principal("local", DashboardAccess.OperatorRole);
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        return context.Response.WriteAsync("The dashboard is open to this machine only: set DASHBOARD_USERNAME and DASHBOARD_PASSWORD to reach it from elsewhere.");
    }

    private static (string User, string Role)? Authenticate(HttpRequest request, DashboardSecurityOptions security)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
        }
        catch (FormatException)
        {
            return null;
        }

        var separator = decoded.IndexOf(':', StringComparison.Ordinal);
        if (separator <= 0)
        {
            return null;
        }

        var user = decoded[..separator];
        var password = decoded[(separator + 1)..];

        // Both accounts are always compared, so the time taken does not tell which one (or which half) matched.
        var isOperator = security.HasCredentials
            & FixedTimeEquals(user, security.Username ?? string.Empty)
            & FixedTimeEquals(password, security.Password ?? string.Empty);
        var isViewer = security.HasReadOnlyCredentials
            & FixedTimeEquals(user, security.ReadOnlyUsername ?? string.Empty)
            & FixedTimeEquals(password, security.ReadOnlyPassword ?? string.Empty);
        return isOperator ? (user, DashboardAccess.OperatorRole)
            : isViewer ? (user, DashboardAccess.ViewerRole)
            : null;
    }

    private static bool FixedTimeEquals(string actual, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(actual)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private static bool IsLocal(ConnectionInfo connection) =>
        connection.RemoteIpAddress is null
            ? connection.LocalIpAddress is null // the in-process test server has no addresses
            : IPAddress.IsLoopback(connection.RemoteIpAddress) || connection.RemoteIpAddress.Equals(connection.LocalIpAddress);
}
