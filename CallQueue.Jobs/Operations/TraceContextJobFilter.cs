using System.Diagnostics;
using Hangfire.Client;
using Hangfire.Server;

namespace CallQueue.Jobs.Operations;

/// <summary>
/// Carries the trace across Hangfire: a job created while something is traced (the HTTP request that queued a call)
/// keeps its W3C <c>traceparent</c> as a job parameter, and every run of it (each dial attempt, retries and requeues
/// included) is a span of that trace; the Plivo request made inside is its child. Registered globally, like every
/// filter, through <see cref="Hosting.CallQueueJobFilterProvider"/>.
/// </summary>
internal sealed class TraceContextJobFilter : IClientFilter, IServerFilter
{
    public const string TraceParentParameter = "TraceParent";
    private const string ActivityItem = "CallQueue.Activity";

    public void OnCreating(CreatingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (CallQueueTracing.CurrentTraceParent() is { } traceParent)
        {
            context.SetJobParameter(TraceParentParameter, traceParent);
        }
    }

    public void OnCreated(CreatedContext context)
    {
    }

    public void OnPerforming(PerformingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parent = CallQueueTracing.Parent(context.GetJobParameter<string>(TraceParentParameter));
        var job = context.BackgroundJob.Job;
        var activity = CallQueueTracing.Source.StartActivity($"{job.Type.Name}.{job.Method.Name}", ActivityKind.Consumer, parent);
        if (activity is not null)
        {
            activity.SetTag("hangfire.job.id", context.BackgroundJob.Id);
            context.Items[ActivityItem] = activity;
        }
    }

    public void OnPerformed(PerformedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items.TryGetValue(ActivityItem, out var item) && item is Activity activity)
        {
            if (context.Exception is { } exception && !context.ExceptionHandled)
            {
                activity.SetStatus(ActivityStatusCode.Error, exception.Message);
            }

            activity.Dispose();
        }
    }
}
