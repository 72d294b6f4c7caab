using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace CallQueue.Api.Security;

/// <summary>
/// API keys on /api (DESIGN.md §8): every route needs one of API_KEYS, sent as <c>X-API-Key</c> or
/// <c>Authorization: Bearer</c>, except /api/health (probes) and /api/plivo/* (Plivo signs its callbacks instead).
/// /sandbox and /hangfire are not under /api and keep their own rules. A key in the query string is refused even when
/// it is right, since URLs end up in logs and histories. Refusals are 401 problem details with
/// <c>WWW-Authenticate: Bearer</c>. Keys are compared as SHA-256 digests in constant time, each configured key every
/// time, and never logged. Without API_KEYS (development only) the API is open, which is logged at start.
/// </summary>
internal sealed partial class ApiKeyMiddleware
{
    public const string HeaderName = "X-API-Key";
    private const string BearerPrefix = "Bearer ";
    private const string Challenge = "Bearer realm=\"CallQueue API\"";
    private static readonly string[] QueryKeyNames = ["api_key", "apikey", "api-key", "x-api-key"];
    private static readonly PathString[] OpenPaths = ["/api/health", "/api/plivo"];

    private readonly RequestDelegate _next;
    private readonly byte[][] _keyDigests;
    private readonly ILogger<ApiKeyMiddleware> _logger;

    public ApiKeyMiddleware(RequestDelegate next, IOptions<ApiKeyOptions> options, ILogger<ApiKeyMiddleware> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _next = next;
        _logger = logger;
        _keyDigests = options.Value.KeyList.Select(Digest).ToArray();
        if (_keyDigests.Length == 0)
        {
            LogOpen(logger);
        }
    }

    /// <summary>Whether <paramref name="path"/> is an API route that needs a key (when keys are configured).</summary>
    public static bool RequiresKey(PathString path) =>
        path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        && !OpenPaths.Any(open => path.StartsWithSegments(open, StringComparison.OrdinalIgnoreCase));

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!RequiresKey(context.Request.Path))
        {
            return _next(context);
        }

        if (QueryKeyNames.Any(context.Request.Query.ContainsKey))
        {
            return RefuseAsync(
                context,
                "API key in the query string",
                $"API keys are not accepted in the query string (URLs end up in logs): send the key in the {HeaderName} header or as Authorization: Bearer <key>.",
                "query string");
        }

        if (_keyDigests.Length == 0)
        {
            return _next(context);
        }

        var presented = PresentedKey(context.Request);
        if (presented is null)
        {
            return RefuseAsync(
                context, "API key required", $"Send an API key in the {HeaderName} header or as Authorization: Bearer <key>.", "no key");
        }

        return IsKnown(presented)
            ? _next(context)
            : RefuseAsync(context, "Invalid API key", "The API key is not valid.", "unknown key");
    }

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

    private bool IsKnown(string presented)
    {
        var digest = Digest(presented);
        var known = false;
        foreach (var key in _keyDigests)
        {
            known |= CryptographicOperations.FixedTimeEquals(digest, key);
        }

        return known;
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private Task RefuseAsync(HttpContext context, string title, string detail, string why)
    {
        LogRefused(_logger, context.Request.Method, context.Request.Path, why);
        context.Response.Headers.WWWAuthenticate = Challenge;
        return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: title, detail: detail).ExecuteAsync(context);
    }

    [LoggerMessage(9101, LogLevel.Warning, "API_KEYS is not set: the HTTP API is open to anyone who can reach it (allowed outside Production only)")]
    private static partial void LogOpen(ILogger logger);

    [LoggerMessage(9102, LogLevel.Information, "{Method} {Path} refused: {Why}")]
    private static partial void LogRefused(ILogger logger, string method, string path, string why);
}
