namespace CallQueue.Jobs.Queues;

/// <summary>
/// What the jobs' retry filters (dial and webhook delivery) share when they turn a job's exception into its next state:
/// the exception the job threw (Hangfire may wrap it in AggregateExceptions) and a reason short enough for the dashboard.
/// </summary>
public static class JobStateReasons
{
    /// <summary>Longest reason a filter writes on a state.</summary>
    public const int MaxLength = 300;

    /// <summary>The exception inside any AggregateExceptions around it.</summary>
    public static Exception? Unwrap(Exception? exception)
    {
        while (exception is AggregateException { InnerException: not null } aggregate)
        {
            exception = aggregate.InnerException;
        }

        return exception;
    }

    /// <summary><paramref name="reason"/> cut at <see cref="MaxLength"/> characters.</summary>
    public static string Truncate(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        return reason.Length <= MaxLength ? reason : reason[..MaxLength];
    }
}
