using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace CallQueue.Api.Dashboard;

/// <summary>
/// Guards /hangfire before Hangfire sees the request: basic auth when DASHBOARD_USERNAME/PASSWORD are set (works in a
/// container, unlike Hangfire's local-only default), otherwise requests from this machine only.
/// </summary>
internal sealed class DashboardAuthenticationMiddleware(RequestDelegate next, IOptions<DashboardSecurityOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var security = options.Value;
        if (security.HasCredentials)
        {
            if (HasValidCredentials(context.Request, security))
            {
                return next(context);
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"CallQueue dashboard\", charset=\"UTF-8\"";
            return Task.CompletedTask;
        }

        if (IsLocal(context.Connection))
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        return context.Response.WriteAsync("The dashboard is open to this machine only: set DASHBOARD_USERNAME and DASHBOARD_PASSWORD to reach it from elsewhere.");
    }

    private static bool HasValidCredentials(HttpRequest request, DashboardSecurityOptions security)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }

        var separator = decoded.IndexOf(':', StringComparison.Ordinal);
        return separator > 0
            & FixedTimeEquals(decoded[..separator], security.Username!)
            & FixedTimeEquals(decoded[(separator + 1)..], security.Password!);
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
