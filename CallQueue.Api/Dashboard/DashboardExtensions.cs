using CallQueue.Jobs.Storage;
using Hangfire;
using Hangfire.Dashboard;
using Microsoft.Extensions.Options;

namespace CallQueue.Api.Dashboard;

public static class DashboardExtensions
{
    public const string Path = "/hangfire";

    /// <summary>Dashboard accounts (DASHBOARD_USERNAME/…, DASHBOARD_READONLY_USERNAME/…), checked at start.</summary>
    public static IServiceCollection AddCallQueueDashboard(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<DashboardSecurityOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DashboardSecurityOptions>, DashboardSecurityOptionsValidator>();
        return services;
    }

    /// <summary>
    /// Mounts the Hangfire dashboard at /hangfire behind <see cref="DashboardAuthenticationMiddleware"/>: jobs named after
    /// their calls (<see cref="DashboardJobNames"/>), call metrics on the home page, read-only for the viewer account, and
    /// no storage connection string.
    /// </summary>
    public static WebApplication UseCallQueueDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(Path, StringComparison.OrdinalIgnoreCase),
            branch => branch.UseMiddleware<DashboardAuthenticationMiddleware>());
        CallQueueDashboardMetrics.Register();
        var names = new DashboardJobNames(app.Services.GetRequiredService<ICallStore>(), app.Services.GetRequiredService<TimeProvider>());
        app.UseHangfireDashboard(
            Path,
            new DashboardOptions
            {
                // Access is decided by the middleware above; Hangfire's local-only default would lock out containers.
                Authorization = [new PassThroughAuthorizationFilter()],
                IsReadOnlyFunc = context => DashboardAccess.IsReadOnly(context.GetHttpContext()),
                DisplayStorageConnectionString = false,
                DashboardTitle = "CallQueue",
                AppPath = null,
                DisplayNameFunc = (context, job) => names.For(job, fresh: context.Request.Path.Contains("/jobs/details/", StringComparison.Ordinal)),
            },
            app.Services.GetRequiredService<JobStorage>());
        return app;
    }

    private sealed class PassThroughAuthorizationFilter : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => true;
    }
}
