using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CallQueue.Api.Security;

public static partial class ApiKeyExtensions
{
    /// <summary>API_KEYS, checked at start (required in Production).</summary>
    public static IServiceCollection AddApiKeys(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ApiKeyOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiKeyOptions>, ApiKeyOptionsValidator>();
        services.AddOptions<AuthenticationFailureOptions>().Bind(configuration).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ApiKeyRing>();
        services.AddSingleton<AuthenticationFailures>();
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(CallQueuePolicies.ApiKey, policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser());
        return services;
    }

    /// <summary>
    /// The /api route group: every route mapped on it needs an API key (<see cref="CallQueuePolicies.ApiKey"/>) with no
    /// code of its own. Open routes under /api (health, Plivo's signed callbacks) are mapped outside it, anonymous.
    /// </summary>
    public static RouteGroupBuilder MapApiGroup(this IEndpointRouteBuilder app) =>
        app.MapGroup("/api").RequireAuthorization(CallQueuePolicies.ApiKey);

    /// <summary>
    /// After authorization: every line logged while handling a request let in by an API key carries the key's name as
    /// <c>ApiClient</c> (<c>name:key</c> entries in API_KEYS), so the log says which client did what. Never the key.
    /// </summary>
    public static IApplicationBuilder UseApiClientLogScope(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger<ApiKeyAuthenticationHandler>();
        return app.Use(async (context, next) =>
        {
            var identity = context.User.Identity;
            if (identity is { IsAuthenticated: true, AuthenticationType: ApiKeyAuthenticationHandler.SchemeName, Name: { } name })
            {
                using (logger.BeginScope(new Dictionary<string, object> { ["ApiClient"] = name }))
                {
                    LogLetIn(logger, context.Request.Method, context.Request.Path);
                    await next(context);
                }

                return;
            }

            await next(context);
        });
    }

    /// <summary>Logs once at start that the API is open while API_KEYS is unset (development only).</summary>
    public static void AnnounceOpenApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.Services.GetRequiredService<ApiKeyRing>().IsConfigured)
        {
            LogOpen(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<ApiKeyAuthenticationHandler>());
        }
    }

    [LoggerMessage(9104, LogLevel.Debug, "{Method} {Path} let in by its API key")]
    private static partial void LogLetIn(ILogger logger, string method, string path);

    [LoggerMessage(9101, LogLevel.Warning, "API_KEYS is not set: the HTTP API is open to anyone who can reach it (allowed outside Production only)")]
    private static partial void LogOpen(ILogger logger);
}
