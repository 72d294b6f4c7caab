using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using CallQueue.Api.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CallQueue.Api.Dashboard;

/// <summary>
/// The dashboard's scheme: basic auth when a dashboard account is set (works in a container, unlike Hangfire's
/// local-only default), otherwise requests from this machine only (development; Production refuses to start without
/// an account). The operator account (DASHBOARD_USERNAME) gets the operator role, the read-only account
/// (DASHBOARD_READONLY_USERNAME) the viewer role (<see cref="DashboardAccess"/>). Passwords are compared in constant
/// time and never logged; refusals are logged without the credentials and counted in /metrics, and an address past
/// AUTH_FAILURES_PER_MINUTE wrong passwords gets 429.
/// </summary>
internal sealed partial class DashboardAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptions<DashboardSecurityOptions> security,
    AuthenticationFailures failures) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "DashboardBasic";
    private const string MetricsScheme = "dashboard";
    private const string Challenge = "Basic realm=\"CallQueue dashboard\", charset=\"UTF-8\"";

    private string _refusal = "no_credentials";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var accounts = security.Value;
        if (!accounts.RequiresSignIn)
        {
            return Task.FromResult(IsLocal(Context.Connection)
                ? Success("local", DashboardAccess.OperatorRole)
                : Refuse("not_local"));
        }

        var address = AuthenticationFailures.Address(Context);
        if (failures.IsLimited(address))
        {
            return Task.FromResult(Refuse("rate_limited"));
        }

        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var account = Authenticate(header["Basic ".Length..].Trim(), accounts);
        if (account is null)
        {
            failures.RecordWrongCredentials(address);
            return Task.FromResult(Refuse("wrong_credentials"));
        }

        return Task.FromResult(Success(account.Value.User, account.Value.Role));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        AuthenticationFailures.Count(MetricsScheme, _refusal);
        LogRefused(Logger, Request.Method, Request.Path, _refusal, AuthenticationFailures.Address(Context));
        if (_refusal == "rate_limited")
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = ((int)AuthenticationFailures.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            return;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        if (_refusal == "not_local")
        {
            await Response.WriteAsync("The dashboard is open to this machine only: set DASHBOARD_USERNAME and DASHBOARD_PASSWORD to reach it from elsewhere.");
            return;
        }

        Response.Headers.WWWAuthenticate = Challenge;
    }

    private AuthenticateResult Refuse(string reason)
    {
        _refusal = reason;
        return AuthenticateResult.Fail(reason);
    }

    private static AuthenticateResult Success(string name, string role) =>
        AuthenticateResult.Success(new AuthenticationTicket(DashboardAccess.Principal(name, role), SchemeName));

    private static (string User, string Role)? Authenticate(string encoded, DashboardSecurityOptions accounts)
    {
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
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
        var isOperator = accounts.HasCredentials
            & FixedTimeEquals(user, accounts.Username ?? string.Empty)
            & FixedTimeEquals(password, accounts.Password ?? string.Empty);
        var isViewer = accounts.HasReadOnlyCredentials
            & FixedTimeEquals(user, accounts.ReadOnlyUsername ?? string.Empty)
            & FixedTimeEquals(password, accounts.ReadOnlyPassword ?? string.Empty);
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

    [LoggerMessage(9103, LogLevel.Information, "{Method} {Path} refused by the dashboard: {Reason} (from {Address})")]
    private static partial void LogRefused(ILogger logger, string method, string path, string reason, string address);
}
