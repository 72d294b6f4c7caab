using CallQueue.Api.Health;
using Microsoft.Extensions.Options;

namespace CallQueue.Api.Security;

public static class ApiKeyExtensions
{
    /// <summary>API_KEYS, checked at start (required in Production).</summary>
    public static IServiceCollection AddApiKeys(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ApiKeyOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiKeyOptions>, ApiKeyOptionsValidator>();
        return services;
    }

    /// <summary>Requires an API key on /api (see <see cref="ApiKeyMiddleware"/>); call before the endpoints run.</summary>
    public static IApplicationBuilder UseApiKeys(this IApplicationBuilder app) => app.UseMiddleware<ApiKeyMiddleware>();

    /// <summary>The api_keys entry of /api/health: open APIs are announced as a warning.</summary>
    public static HealthCheck HealthCheck(this ApiKeyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var count = options.KeyList.Count;
        return count > 0
            ? new HealthCheck(HealthStatus.Healthy, FormattableString.Invariant($"required on /api ({count} key{(count == 1 ? string.Empty : "s")} configured)"), null)
            : new HealthCheck(HealthStatus.Healthy, "not set: the API is open (development only)", null,
                "API_KEYS is not set: the API is open to anyone who can reach it");
    }
}
