using CallQueue.Jobs.Dialing;
using CallQueue.Jobs.Ingest;
using Hangfire;
using Hangfire.Dashboard;

namespace CallQueue.Api.Dashboard;

public static class DashboardExtensions
{
    public const string Path = "/hangfire";

    /// <summary>Mounts the Hangfire dashboard at /hangfire behind <see cref="DashboardAuthenticationMiddleware"/>.</summary>
    public static WebApplication UseCallQueueDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(Path, StringComparison.OrdinalIgnoreCase),
            branch => branch.UseMiddleware<DashboardAuthenticationMiddleware>());
        app.UseHangfireDashboard(
            Path,
            new DashboardOptions
            {
                // Access is decided by the middleware above; Hangfire's local-only default would lock out containers.
                Authorization = [new PassThroughAuthorizationFilter()],
                DisplayStorageConnectionString = false,
                DashboardTitle = "CallQueue",
                AppPath = null,
                DisplayNameFunc = (_, job) => DisplayName(job),
            },
            app.Services.GetRequiredService<JobStorage>());
        return app;
    }

    private static string DisplayName(Hangfire.Common.Job job) => job.Method.Name switch
    {
        nameof(DialCallJob.ExecuteAsync) when job.Type == typeof(DialCallJob) => $"Dial call {job.Args[0]}",
        nameof(CreateDialJobsJob.ForBatchAsync) => $"Create dial jobs · batch {job.Args[0]}",
        nameof(CreateDialJobsJob.SweepAsync) => "Create dial jobs · calls left without one",
        _ => $"{job.Type.Name}.{job.Method.Name}",
    };

    private sealed class PassThroughAuthorizationFilter : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => true;
    }
}
