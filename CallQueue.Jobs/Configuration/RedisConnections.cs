namespace CallQueue.Jobs.Configuration;

/// <summary>
/// The service keys of the process's Redis connections beyond the default one (see <c>AddRedisStorage</c> in
/// <see cref="Hosting.ServiceCollectionExtensions"/>).
/// </summary>
public static class RedisConnections
{
    /// <summary>
    /// The dial side's connection: Hangfire's storage and the cluster-wide caps, on StackExchange.Redis's dedicated reader
    /// threads, so their replies never wait behind the thread pool's queue.
    /// </summary>
    public const string Dispatch = "dispatch";
}
