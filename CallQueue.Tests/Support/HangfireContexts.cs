using Hangfire;
using Hangfire.Common;
using Hangfire.InMemory;
using Hangfire.Logging;
using Hangfire.Server;
using Hangfire.States;
using Hangfire.Storage;

namespace CallQueue.Tests.Support;

/// <summary>
/// Real Hangfire contexts for filter and job tests (STYLE.md habit 17). Hangfire's own tests build them from mocks
/// (ElectStateContextMock); these are built with Hangfire's public constructors over a real storage (Hangfire.InMemory),
/// so a job exists and the parameters a filter writes can be read back. One instance per test: nothing static.
/// </summary>
internal sealed class HangfireContexts : IDisposable
{
    private static readonly DateTime CreatedAt = new(2026, 12, 7, 10, 0, 0, DateTimeKind.Utc);
    private static readonly SilentLogProvider Silent = new();

    private readonly InMemoryStorage _storage;
    private readonly IStorageConnection _connection;
    private readonly List<IWriteOnlyTransaction> _transactions = [];

    public HangfireContexts()
    {
        // Hangfire logs through one static provider, which every host another test started points at its own logger
        // factory (when its Hangfire configuration is resolved) and leaves there once disposed: InMemoryStorage's
        // constructor would then throw ObjectDisposedException, depending on which tests ran before. These contexts log
        // nothing, so the provider is set to one that never goes away; every test sets the same instance, and a host
        // sets its own again when it starts (never during these tests: hosts run in non-parallel fixtures).
        LogProvider.SetCurrentLogProvider(Silent);
        _storage = new InMemoryStorage(new InMemoryStorageOptions());
        _connection = _storage.GetConnection();
    }

    /// <summary>Stores <paramref name="job"/> with <paramref name="parameters"/> (in no state yet) and returns its id.</summary>
    public string CreateJob(Job job, IDictionary<string, string>? parameters = null) =>
        _connection.CreateExpiredJob(job, parameters ?? new Dictionary<string, string>(), CreatedAt, TimeSpan.FromHours(1));

    /// <summary>
    /// The context of a state election for the stored job <paramref name="jobId"/>, moving from
    /// <paramref name="currentState"/> to <paramref name="candidate"/>, as Hangfire's state machine builds it.
    /// </summary>
    public ElectStateContext ElectState(string jobId, IState candidate, string? currentState)
    {
        var job = _connection.GetJobData(jobId)?.Job ?? throw new InvalidOperationException($"No job {jobId} in the storage.");
        var transaction = _connection.CreateWriteTransaction();
        _transactions.Add(transaction);
        var backgroundJob = new BackgroundJob(jobId, job, CreatedAt);
        return new ElectStateContext(new ApplyStateContext(_storage, _connection, transaction, backgroundJob, candidate, currentState));
    }

    /// <summary>
    /// The context a worker gives <paramref name="job"/> when it performs it under the id <paramref name="jobId"/>;
    /// <paramref name="shuttingDown"/>: its server is stopping (the shutdown token is cancelled).
    /// </summary>
    public PerformContext Perform(string jobId, Job job, bool shuttingDown = false) =>
        new(_storage, _connection, new BackgroundJob(jobId, job, CreatedAt), new JobCancellationToken(shuttingDown));

    public string? JobParameter(string jobId, string name) => _connection.GetJobParameter(jobId, name);

    /// <summary>
    /// Moves the stored job <paramref name="jobId"/> to <paramref name="candidate"/> through Hangfire's own state changer
    /// with the filters of <paramref name="filters"/> (AutomaticRetry included), as a worker does after a run, and
    /// returns the state elected.
    /// </summary>
    public StateData Elect(string jobId, IState candidate, IJobFilterProvider filters)
    {
        new BackgroundJobStateChanger(filters).ChangeState(new StateChangeContext(_storage, _connection, jobId, candidate));
        return _connection.GetStateData(jobId) ?? throw new InvalidOperationException($"Job {jobId} has no state.");
    }

    public void Dispose()
    {
        foreach (var transaction in _transactions)
        {
            transaction.Dispose();
        }

        _connection.Dispose();
        _storage.Dispose();
    }

    internal sealed class SilentLogProvider : ILogProvider, ILog
    {
        public ILog GetLogger(string name) => this;

        public bool Log(LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
