using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CallQueue.Api.Security;

/// <summary>
/// The API-key scheme (DESIGN.md §8): one of API_KEYS, sent as <c>X-API-Key</c> or <c>Authorization: Bearer</c>; the
/// user is named after the key (<c>name:key</c> entries, else <c>key-N</c>). A key in the query string is refused even
/// when it is right, since URLs end up in logs and histories. Refusals are 401 problem details with
/// <c>WWW-Authenticate: Bearer</c>, logged (method, path, reason, address; never the key) and counted in /metrics; an
/// address past AUTH_FAILURES_PER_MINUTE wrong keys gets 429. Without API_KEYS (development only) everyone is let in,
/// which is logged at start. Runs only where a route asks for <see cref="CallQueuePolicies.ApiKey"/>.
/// </summary>
internal sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyRing keys,
    AuthenticationFailures failures) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-API-Key";

    /// <summary>The name of every request while API_KEYS is not set (the API is open).</summary>
    public const string OpenAccessName = "anonymous (API_KEYS not set)";
    private const string MetricsScheme = "api_key";
    private const string BearerPrefix = "Bearer ";
    private const string Challenge = "Bearer realm=\"CallQueue API\"";
    private static readonly string[] QueryKeyNames = ["api_key", "apikey", "api-key", "x-api-key"];

    private Refusal _refusal = Refusal.NoKey;

    private enum Refusal
    {
        NoKey,
        UnknownKey,
        QueryString,
        RateLimited,
    }

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (QueryKeyNames.Any(Request.Query.ContainsKey))
        {
            return Refuse(Refusal.QueryString);
        }

        if (!keys.IsConfigured)
        {
            return Task.FromResult(Success(OpenAccessName));
        }

        var address = AuthenticationFailures.Address(Context);
        if (failures.IsLimited(address))
        {
            return Refuse(Refusal.RateLimited);
        }

        var presented = PresentedKey(Request);
        if (presented is null)
        {
            _refusal = Refusal.NoKey;
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var name = keys.Find(presented);
        if (name is null)
        {
            failures.RecordWrongCredentials(address);
            return Refuse(Refusal.UnknownKey);
        }

        return Task.FromResult(Success(name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var (reason, title, detail) = _refusal switch
        {
            Refusal.QueryString => ("query_string", "API key in the query string",
                $"API keys are not accepted in the query string (URLs end up in logs): send the key in the {HeaderName} header or as Authorization: Bearer <key>."),
            Refusal.UnknownKey => ("unknown_key", "Invalid API key", "The API key is not valid."),
            Refusal.RateLimited => ("rate_limited", "Too many invalid API keys", "Too many invalid API keys from this address: try again later."),
            _ => ("no_key", "API key required", $"Send an API key in the {HeaderName} header or as Authorization: Bearer <key>."),
        };
        AuthenticationFailures.Count(MetricsScheme, reason);
        LogRefused(Logger, Request.Method, Request.Path, reason, AuthenticationFailures.Address(Context));
        if (_refusal == Refusal.RateLimited)
        {
            Response.Headers.RetryAfter = ((int)AuthenticationFailures.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: title, detail: detail).ExecuteAsync(Context);
        }

        Response.Headers.WWWAuthenticate = Challenge;
        return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: title, detail: detail).ExecuteAsync(Context);
    }

    private Task<AuthenticateResult> Refuse(Refusal refusal)
    {
        _refusal = refusal;
        return Task.FromResult(AuthenticateResult.Fail(refusal.ToString()));
    }

    private static AuthenticateResult Success(string name) =>
        AuthenticateResult.Success(new AuthenticationTicket(
            new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], SchemeName)), SchemeName));

    private static string? PresentedKey(HttpRequest request)
    {
        var header = request.Headers[HeaderName].ToString().Trim();
        if (header.Length > 0)
        {
            return header;
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) && authorization.Length > BearerPrefix.Length
            ? authorization[BearerPrefix.Length..].Trim()
            : null;
    }

    [LoggerMessage(9102, LogLevel.Information, "{Method} {Path} refused: {Reason} (from {Address})")]
    private static partial void LogRefused(ILogger logger, string method, string path, string reason, string address);
}
