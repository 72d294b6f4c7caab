using CallQueue.Jobs.Dialing;
using CallQueue.Jobs.Operations;
using CallQueue.Jobs.Operators;
using Hangfire;
using Hangfire.Common;

namespace CallQueue.Jobs.Hosting;

/// <summary>
/// Hangfire's own filters and attributes plus ours, per host: registering our filters through this provider (instead of
/// the static GlobalJobFilters) keeps every process — and every test host — with exactly one set.
/// </summary>
internal sealed class CallQueueJobFilterProvider(IServiceProvider services) : IJobFilterProvider
{
    private readonly JobFilter[] _filters =
    [
        new JobFilter(new DialRetryFilter(), JobFilterScope.Global, order: null),
        new JobFilter(new OperatorRequeueFilter(services), JobFilterScope.Global, order: null),
        new JobFilter(new TraceContextJobFilter(), JobFilterScope.Global, order: null),
        new JobFilter(new CurrentJobFilter(), JobFilterScope.Global, order: null),
    ];

    // Hangfire runs filters in the order given, so the merged list is sorted again (Order, then Scope) as its own collection does.
    // Hangfire's global CaptureCultureAttribute is left out: it writes the creating thread's culture into every job
    // (CurrentCulture "") to set it again around each run, but the service runs with InvariantGlobalization
    // (Directory.Build.props) and formats with explicit cultures (CA1305), so that only restored the culture every thread
    // has already, at the cost of a field in each job's Redis hash (issue 15). Jobs stored with it still run: the
    // parameter is then never read.
    public IEnumerable<JobFilter> GetFilters(Job job) =>
        JobFilterProviders.Providers.GetFilters(job)
            .Where(filter => filter.Instance is not CaptureCultureAttribute)
            .Concat(_filters)
            .OrderBy(filter => filter.Order)
            .ThenBy(filter => filter.Scope)
            .ToList();
}
