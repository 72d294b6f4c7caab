using CallQueue.Jobs.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CallQueue.Api.Sandbox;

/// <summary>
/// Registers and maps the Plivo sandbox. It depends on nothing of the app but <c>IOptions&lt;PlivoOptions&gt;</c>
/// (credentials), so it runs inside the app, in a WebApplicationFactory or in a bare test host. Point the Plivo
/// client at it with PLIVO_API_URL = <c>{app base URL}</c> + <see cref="PlivoApiPath"/>.
/// </summary>
public static class PlivoSandboxEndpoints
{
    /// <summary>Base of the simulated REST API (the client appends <c>/v1/Account/{auth_id}/…</c>).</summary>
    public const string PlivoApiPath = "/sandbox/plivo";

    /// <summary>Base of the control endpoints (<see cref="PlivoSandbox"/>'s API over HTTP).</summary>
    public const string ControlPath = "/sandbox/control";

    private static readonly TimeSpan CallbackTimeout = TimeSpan.FromSeconds(15);

    public static IServiceCollection AddPlivoSandbox(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptionsWithValidateOnStart<PlivoSandboxOptions, PlivoSandboxOptionsValidator>().Bind(configuration);
        services.AddOptions<PlivoOptions>();
        services.AddHttpClient(SandboxCallbackSender.HttpClientName, client => client.Timeout = CallbackTimeout);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PlivoSandbox>();
        services.AddHostedService(provider => provider.GetRequiredService<PlivoSandbox>());
        return services;
    }

    /// <summary>
    /// Maps the Plivo REST endpoints under <see cref="PlivoApiPath"/> (Basic auth checked against PlivoOptions) and the
    /// control endpoints under <see cref="ControlPath"/>. The REST endpoints are anonymous to the app's own auth (they
    /// check Plivo's); the control endpoints (reset, faults, scripts) are anonymous only when
    /// <paramref name="guardControl"/> is null, else it applies the app's guard to them (an API key outside Development).
    /// </summary>
    public static IEndpointRouteBuilder MapPlivoSandbox(this IEndpointRouteBuilder app, Action<RouteGroupBuilder>? guardControl = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        var account = app.MapGroup(PlivoApiPath + "/v1/Account/{authId}").AllowAnonymous().ExcludeFromDescription();
        SandboxPlivoApi.Map(account);
        var control = app.MapGroup(ControlPath).ExcludeFromDescription();
        if (guardControl is null)
        {
            control.AllowAnonymous();
        }
        else
        {
            guardControl(control);
        }

        SandboxControlApi.Map(control);
        return app;
    }
}
