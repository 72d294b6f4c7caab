using CallQueue.Api.AgentResults;
using CallQueue.Api.Audit;
using CallQueue.Api.Batches;
using CallQueue.Api.Callbacks;
using CallQueue.Api.Calls;
using CallQueue.Api.Campaigns;
using CallQueue.Api.Configuration;
using CallQueue.Api.Dashboard;
using CallQueue.Api.DoNotCall;
using CallQueue.Api.Webhooks;
using CallQueue.Api.Errors;
using CallQueue.Api.Health;
using CallQueue.Api.Operations;
using CallQueue.Api.Queue;
using CallQueue.Api.Sandbox;
using CallQueue.Api.Security;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Configuration;
using CallQueue.Jobs.Hosting;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace CallQueue.Api.Hosting;

public static class CallQueueApiExtensions
{
    /// <summary>Everything the service registers: configuration, the jobs and their servers, the HTTP API, the sandbox.</summary>
    public static WebApplicationBuilder AddCallQueueApi(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var services = builder.Services;

        // HOST/PORT from the seed, unless the host was given URLs explicitly (ASPNETCORE_URLS, --urls).
        var server = configuration.Get<ServerOptions>() ?? new ServerOptions();
        if (string.IsNullOrEmpty(configuration["urls"]))
        {
            builder.WebHost.UseUrls(server.ListenUrl);
        }

        ApplyLogLevel(builder);
        builder.AddCallQueueFileLog();
        services.AddOptions<ServerOptions>().Bind(configuration);
        services.AddCallQueueDashboard(configuration);
        services.AddApiKeys(configuration);
        services.AddCallQueueJobs(configuration);
        var queue = configuration.Get<QueueOptions>() ?? new QueueOptions();
        services.AddCallQueueServers(queue);

        // Hangfire workers block their threads while async jobs run; with the thread pool's minimum at the core count,
        // continuations (a granted rate token → the request) would queue behind slow thread injection.
        ThreadPool.GetMinThreads(out var workerThreads, out var ioThreads);
        ThreadPool.SetMinThreads(Math.Max(workerThreads, (queue.Workers * 2) + 32), ioThreads);
        services.AddHostedService<StartupChecks>();
        ConfigurePlivoDefaults(services, builder.Environment, server);
        services.AddPlivoSandbox(configuration);

        services.ConfigureHttpJsonOptions(json => CallJson.Configure(json.SerializerOptions));
        services.AddProblemDetails();
        services.AddExceptionHandler<CallQueueExceptionHandler>();
        services.AddValidatorsFromAssemblyContaining<QueueCallRequestValidator>(ServiceLifetime.Singleton);
        services.AddSingleton<QueuePositionEstimator>();
        services.AddCallQueueHealthChecks();
        services.AddCallQueueMetrics();
        services.AddCallQueueTracing(configuration);
        services.AddCallQueueOpenApi();
        services.Configure<HostOptions>(host => host.ShutdownTimeout = GracefulShutdown.HostShutdownTimeout);
        return builder;
    }

    /// <summary>LOG_LEVEL (the seed's variable; also DEBUG/INFO/WARNING/ERROR/CRITICAL) sets the default log level.</summary>
    private static void ApplyLogLevel(WebApplicationBuilder builder)
    {
        var level = builder.Configuration["LOG_LEVEL"]?.Trim().ToUpperInvariant() switch
        {
            null or "" => null,
            "TRACE" => "Trace",
            "DEBUG" => "Debug",
            "INFO" or "INFORMATION" => "Information",
            "WARN" or "WARNING" => "Warning",
            "ERROR" => "Error",
            "CRITICAL" or "FATAL" => "Critical",
            var other => throw new StartupException($"LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL (got '{other}')"),
        };
        if (level is not null)
        {
            builder.Configuration["Logging:LogLevel:Default"] = level;
        }
    }

    /// <summary>The HTTP pipeline: problem details, the API, the dashboard, and the sandbox in sandbox mode.</summary>
    public static WebApplication UseCallQueueApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        // Routing first, so the HTTP metrics are labelled by route pattern, not by raw path.
        app.UseRouting();
        app.UseCallQueueHttpMetrics();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseApiClientLogScope();
        app.AnnounceOpenApi();

        // Every route on the API group needs an API key; health and Plivo's signed callbacks are mapped outside it, open.
        var api = app.MapApiGroup();
        api.MapCallsApi();
        api.MapCancelCallApi();
        api.MapRequeueCallApi();
        api.MapCallResultsApi();
        api.MapCampaignCallsApi();
        api.MapCampaignsApi();
        api.MapBatchesApi();
        api.MapQueueApi();
        api.MapDoNotCallApi();
        api.MapWebhooksApi();
        api.MapAuditApi();
        app.MapHealthApi();
        app.MapMetricsApi();
        app.MapCallQueueOpenApi();
        app.MapPlivoCallbacks();
        app.MapCallQueueDashboard();
        if (app.Services.GetRequiredService<IOptions<PlivoOptions>>().Value.IsSandbox)
        {
            // Anyone who reaches a rehearsal (Production with PLIVO_MODE=sandbox) could reset it or inject faults: outside
            // Development its control endpoints need an API key like /api.
            app.MapPlivoSandbox(app.Environment.IsDevelopment() ? null : control => control.RequireAuthorization(CallQueuePolicies.ApiKey));
        }
        return app;
    }

    /// <summary>
    /// Development defaults (DESIGN.md §6): callbacks to the app's own address, and — without Plivo credentials outside
    /// Production, or with PLIVO_MODE=sandbox — the built-in sandbox with its own credentials.
    /// </summary>
    private static void ConfigurePlivoDefaults(IServiceCollection services, IHostEnvironment environment, ServerOptions server) =>
        services.PostConfigure<PlivoOptions>(plivo =>
        {
            plivo.PublicBaseUrl ??= server.LocalUrl;
            var explicitSandbox = string.Equals(plivo.Mode, "sandbox", StringComparison.OrdinalIgnoreCase);
            if (!plivo.IsSandbox || (environment.IsProduction() && !explicitSandbox))
            {
                return;
            }

            plivo.Mode = "sandbox";
            plivo.AuthId ??= PlivoOptions.SandboxAuthId;
            plivo.AuthToken ??= PlivoOptions.SandboxAuthToken;
            plivo.Number ??= PlivoOptions.SandboxNumber;
            plivo.ApiUrl ??= plivo.PublicBaseUrl.TrimEnd('/') + "/sandbox/plivo";
        });
}
