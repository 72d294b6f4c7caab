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
}
