using Hangfire.Server;

namespace CallQueue.Jobs.Operations;

/// <summary>
/// Makes the job being performed <see cref="CurrentJob.Context"/> for the length of its run, and clears it afterwards
/// (a worker thread runs many jobs; a finished one must not be seen, nor kept alive, by whatever runs next on it).
/// Registered globally, like every filter, through <see cref="Hosting.CallQueueJobFilterProvider"/>.
/// </summary>
internal sealed class CurrentJobFilter : IServerFilter
{
    public void OnPerforming(PerformingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        CurrentJob.Context = context;
    }

    public void OnPerformed(PerformedContext context) => CurrentJob.Context = null;
}
