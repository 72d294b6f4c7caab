using CallQueue.Api.Audit;
using CallQueue.Api.Security;
using CallQueue.Jobs.Audit;
using CallQueue.Jobs.Storage;
using CallQueue.Jobs.Webhooks;
using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Authentication;
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

        // Operator actions are recorded with who did them: the API's and the dashboard's (issue 12).
        services.AddHttpContextAccessor();
        services.AddSingleton<AuditRecorder>();
        services.AddSingleton<ICurrentActor, HttpCurrentActor>();
        services.AddSingleton<IValidateOptions<DashboardSecurityOptions>, DashboardSecurityOptionsValidator>();
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, DashboardAuthenticationHandler>(DashboardAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(CallQueuePolicies.DashboardViewer, policy => policy
                .AddAuthenticationSchemes(DashboardAuthenticationHandler.SchemeName)
                .RequireRole(DashboardAccess.OperatorRole, DashboardAccess.ViewerRole))
            .AddPolicy(CallQueuePolicies.DashboardOperator, policy => policy
                .AddAuthenticationSchemes(DashboardAuthenticationHandler.SchemeName)
                .RequireRole(DashboardAccess.OperatorRole));
        return services;
    }

    /// <summary>
    /// Maps the Hangfire dashboard at /hangfire behind <see cref="CallQueuePolicies.DashboardViewer"/> (either account;
    /// Hangfire's own local-only filter is dropped, it would lock out containers): jobs named after their calls
    /// (<see cref="DashboardJobNames"/>), call metrics on the home page, read-only unless
    /// <see cref="CallQueuePolicies.DashboardOperator"/> holds, and no storage connection string.
    /// </summary>
    public static WebApplication MapCallQueueDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        CallQueueDashboardMetrics.Register();
        CampaignsDashboard.Register();
        var names = new DashboardJobNames(
            app.Services.GetRequiredService<ICallStore>(), app.Services.GetRequiredService<TimeProvider>(), app.Services.GetService<IWebhookOutbox>());
        app.MapHangfireDashboardWithAuthorizationPolicy(
            CallQueuePolicies.DashboardViewer,
            Path,
            new DashboardOptions
            {
                IsReadOnlyFunc = context => DashboardAccess.IsReadOnly(context.GetHttpContext()),
                DisplayStorageConnectionString = false,
                DashboardTitle = "CallQueue",
                AppPath = null,
                DisplayNameFunc = (context, job) => names.For(job, fresh: context.Request.Path.Contains("/jobs/details/", StringComparison.Ordinal)),
            },
            app.Services.GetRequiredService<JobStorage>());
        return app;
    }
}
