using System.Globalization;
using CallQueue.Api.Dashboard;
using CallQueue.Api.Hosting;
using CallQueue.Jobs.Configuration;
using Microsoft.Extensions.Options;

namespace CallQueue.Api.Diagnostics;

/// <summary>
/// The configuration the service would start with: builds its host (never started) and runs the validation the service
/// runs at start (every <c>ValidateOnStart</c> options type), one FAIL line per failure; development defaults are WARN lines.
/// </summary>
internal static class ConfigurationCheck
{
    public const string Name = "configuration";

    public static void Run(CheckContext context, CheckReport report)
    {
        WebApplicationBuilder builder;
        try
        {
            builder = CheckHost.CreateBuilder(context.Args, overrides: null);
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or IOException or InvalidOperationException)
        {
            // A malformed appsettings.json or an unreadable .env: nothing else can be read.
            context.AddFailure(null, $"the configuration files cannot be read: {ex.Message}");
            report.Add(CheckResult.Fail(Name, context.ConfigurationFailures[^1], CheckFixes.WrongConfig));
            return;
        }

        context.Configuration = builder.Configuration;
        context.Environment = builder.Environment;
        try
        {
            context.App = CheckHost.Build(builder, context.Verbose);
        }
        catch (Exception ex) when (StartupErrors.Describe(ex) is { } problems)
        {
            foreach (var problem in problems)
            {
                context.AddFailure(null, problem);
            }
        }
        catch (InvalidOperationException ex)
        {
            // A value that does not bind, e.g. PORT=abc ("Failed to convert configuration value …").
            context.AddFailure(null, ex.Message);
        }

        if (context.App is not null)
        {
            Validate(context, context.App.Services);
            context.Redis = Value<RedisOptions>(context.App.Services);
            context.Plivo = Value<PlivoOptions>(context.App.Services);
            context.Agent = Value<AgentOptions>(context.App.Services);
            context.Queue = Value<QueueOptions>(context.App.Services);
        }
        else
        {
            // Without a host, the Redis and agent checks can still run on the raw settings.
            context.Redis = Bind<RedisOptions>(builder.Configuration);
            context.Agent = Bind<AgentOptions>(builder.Configuration);
        }

        foreach (var failure in context.ConfigurationFailures)
        {
            report.Add(CheckResult.Fail(Name, failure, CheckFixes.ForConfigurationFailure(failure)));
        }

        if (context.ConfigurationValid)
        {
            report.Add(CheckResult.Pass(Name, Describe(context)));
            WarnAboutDefaults(context, report);
        }
    }

    /// <summary>What the service does at start: IStartupValidator runs every options type registered with ValidateOnStart.</summary>
    private static void Validate(CheckContext context, IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
        }
        catch (OptionsValidationException ex)
        {
            Add(context, ex);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(inner => inner is OptionsValidationException))
        {
            foreach (var inner in ex.InnerExceptions.Cast<OptionsValidationException>())
            {
                Add(context, inner);
            }
        }
        catch (InvalidOperationException ex)
        {
            context.AddFailure(null, ex.Message);
        }
    }

    private static void Add(CheckContext context, OptionsValidationException exception)
    {
        foreach (var failure in exception.Failures)
        {
            context.AddFailure(exception.OptionsType, failure);
        }
    }

    private static TOptions? Value<TOptions>(IServiceProvider services)
        where TOptions : class
    {
        try
        {
            return services.GetRequiredService<IOptions<TOptions>>().Value;
        }
        catch (Exception ex) when (ex is OptionsValidationException or InvalidOperationException)
        {
            return null;
        }
    }

    private static TOptions? Bind<TOptions>(IConfiguration configuration)
        where TOptions : class, new()
    {
        try
        {
            return configuration.Get<TOptions>() ?? new TOptions();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string Describe(CheckContext context)
    {
        var (dotEnvPath, dotEnvExists) = CheckHost.DotEnv();
        var queue = context.Queue ?? new QueueOptions();
        var plivo = context.Plivo!;
        var mode = plivo.IsSandbox ? "sandbox" : "live";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"valid for environment {context.Environment?.EnvironmentName} (appsettings.json, {dotEnvPath} {(dotEnvExists ? "present" : "not present")}, "
            + $"environment variables); Plivo {mode}; QUEUE_WORKERS={queue.Workers}, MAX_CONCURRENT_CALLS={queue.MaxConcurrentCalls}, "
            + $"RATE_LIMIT_PER_SECOND={queue.RateLimitPerSecond}");
    }

    private static void WarnAboutDefaults(CheckContext context, CheckReport report)
    {
        var plivo = context.Plivo!;
        // The service turns an implicit sandbox into PLIVO_MODE=sandbox when it configures itself: ask the raw setting.
        var explicitSandbox = string.Equals(context.Setting("PLIVO_MODE"), "sandbox", StringComparison.OrdinalIgnoreCase);
        if (plivo.IsSandbox && !explicitSandbox)
        {
            report.Add(CheckResult.Warn(
                Name,
                "no Plivo credentials: calls go to the built-in Plivo sandbox and nobody is really called (development default)",
                "for real calls: export PLIVO_AUTH_ID=… PLIVO_AUTH_TOKEN=… PLIVO_NUMBER=… (or PLIVO_MODE=sandbox to make the rehearsal explicit)"));
        }

        if (!plivo.IsSandbox && context.Setting("PUBLIC_BASE_URL") is null)
        {
            report.Add(CheckResult.Warn(
                Name,
                $"PUBLIC_BASE_URL is not set: Plivo's callbacks go to {plivo.PublicBaseUrl}, which Plivo cannot reach from the internet",
                "export PUBLIC_BASE_URL=https://<this service's public address>"));
        }

        var dashboard = context.App!.Services.GetRequiredService<IOptions<DashboardSecurityOptions>>().Value;
        if (!context.IsDevelopment && !dashboard.HasCredentials)
        {
            report.Add(CheckResult.Warn(
                Name,
                "DASHBOARD_USERNAME/DASHBOARD_PASSWORD are not set: /hangfire answers requests from this machine only (not through a container's port)",
                "set DASHBOARD_USERNAME and DASHBOARD_PASSWORD"));
        }
    }
}
