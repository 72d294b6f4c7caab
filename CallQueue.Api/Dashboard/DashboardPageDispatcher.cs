using Hangfire.Dashboard;

namespace CallQueue.Api.Dashboard;

/// <summary>
/// A dashboard page whose data is read asynchronously before it is rendered (Hangfire renders pages synchronously, in
/// <see cref="RazorPage.Execute"/>). Giving a page its request and layout is internal to Hangfire, so the built page goes
/// through Hangfire's own page dispatcher, taken from a one-route collection.
/// </summary>
internal sealed class DashboardPageDispatcher(Func<DashboardContext, Task<RazorPage>> build) : IDashboardDispatcher
{
    public async Task Dispatch(DashboardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var page = await build(context);
        var routes = new Hangfire.Dashboard.RouteCollection();
        routes.AddRazorPage("/", _ => page);
        await routes.FindDispatcher("/").Item1.Dispatch(context);
    }
}
