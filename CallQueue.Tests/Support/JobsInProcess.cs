using CallQueue.Jobs.Agent;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Dialing;
using CallQueue.Jobs.Hosting;
using CallQueue.Jobs.Operations;
using CallQueue.Jobs.Plivo;
using CallQueue.Jobs.Storage;
using CallQueue.Jobs.Throttling;
using Hangfire;
using Hangfire.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Time.Testing;

namespace CallQueue.Tests.Support;

/// <summary>
/// The jobs' real registration (<see cref="ServiceCollectionExtensions.AddCallQueueJobs"/>, no REDIS_URL) in-process, for
/// fast tests: the in-memory call store and capacity (product implementations), a fake clock, and fakes only at the
/// edges: Plivo (<see cref="ScriptedPlivoClient"/>) and Hangfire's client (<see cref="RecordingBackgroundJobClient"/>).
/// No hosted service runs: the agent gate stays open (AGENT_SERVER_URL is set, so placed calls are handed to the agent,
/// but nobody polls it), and only the Plivo warm-up is started, which dial workers otherwise wait for (up to 10 s).
/// One instance per test.
/// </summary>
internal sealed class JobsInProcess : IAsyncDisposable
{
    /// <summary>The fake clock's start.</summary>
    public static readonly DateTimeOffset Start = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    public const string CallId = "call_1";
    public const string PhoneNumber = "+14155550123";
    public const string CallerId = "14155550100";

    /// <summary>The dial job of <see cref="CallId"/>, as recorded on the call when it was created.</summary>
    public const string DialJobId = "job-1";

    private readonly ServiceProvider _services;
    private readonly HangfireContexts _hangfire = new();

    private JobsInProcess(ServiceProvider services)
    {
        _services = services;
        Store = services.GetRequiredService<HookedCallStore>();
    }

    public FakeTimeProvider Time => (FakeTimeProvider)_services.GetRequiredService<TimeProvider>();

    public ScriptedPlivoClient Plivo => (ScriptedPlivoClient)_services.GetRequiredService<IPlivoClient>();

    public RecordingBackgroundJobClient Jobs => (RecordingBackgroundJobClient)_services.GetRequiredService<IBackgroundJobClient>();

    public HookedCallStore Store { get; }

    public ICallCapacity Capacity => _services.GetRequiredService<ICallCapacity>();

    public IServiceProvider Services => _services;

    /// <summary>Agent hand-overs enqueued (NotifyAgentJob), as (call id, attempt).</summary>
    public IReadOnlyList<(string CallId, int Attempt)> AgentNotifications =>
        Jobs.Created.Where(created => created.Job.Type == typeof(NotifyAgentJob))
            .Select(created => ((string)created.Job.Args[0], (int)created.Job.Args[1]))
            .ToList();

    /// <summary>
    /// Builds the services with <paramref name="settings"/> over the defaults (PROVIDER_RETRY_DELAY_SECONDS 30,
    /// RETRY_DELAY_SECONDS 300) and waits for the Plivo warm-up, which the fake answers at once.
    /// </summary>
    public static async Task<JobsInProcess> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["PLIVO_MODE"] = "live",
            ["PLIVO_AUTH_ID"] = "MAUNITTEST0000000000",
            ["PLIVO_AUTH_TOKEN"] = "unit-test-token",
            ["PLIVO_NUMBER"] = CallerId,
            ["PUBLIC_BASE_URL"] = "https://queue.example.com",
            ["AGENT_SERVER_URL"] = "https://agent.example.com",
            ["RETRY_DELAY_SECONDS"] = "300",
            ["PROVIDER_RETRY_DELAY_SECONDS"] = "30",
        };
        foreach (var (key, value) in SafetyDefaults.Off)
        {
            configuration[key] = value;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var time = new FakeTimeProvider(Start);
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IHostEnvironment>(new HostingEnvironment
            {
                EnvironmentName = Environments.Development,
                ApplicationName = "CallQueue.Tests",
                ContentRootPath = AppContext.BaseDirectory,
                ContentRootFileProvider = new NullFileProvider(),
            })
            .AddSingleton<IHostApplicationLifetime, StartedApplication>()
            .AddCallQueueJobs(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build());

        services.RemoveAll<TimeProvider>().AddSingleton<TimeProvider>(time);
        services.AddSingleton(provider => new HookedCallStore(new InMemoryCallStore(provider.GetRequiredService<TimeProvider>())));
        services.RemoveAll<ICallStore>().AddSingleton<ICallStore>(provider => provider.GetRequiredService<HookedCallStore>());
        services.RemoveAll<IPlivoClient>().AddSingleton<IPlivoClient, ScriptedPlivoClient>();
        services.RemoveAll<IBackgroundJobClient>().AddSingleton<IBackgroundJobClient, RecordingBackgroundJobClient>();

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false, ValidateScopes = true });
        var jobs = new JobsInProcess(provider);
        var warmup = provider.GetRequiredService<PlivoWarmup>();
        await warmup.StartAsync(CancellationToken.None);
        await warmup.WaitAsync(CancellationToken.None);
        return jobs;
    }

    /// <summary>
    /// A call to <see cref="PhoneNumber"/> (max_retries <paramref name="maxRetries"/>) in <paramref name="status"/> with
    /// <paramref name="attempts"/>, owned by <see cref="DialJobId"/>.
    /// </summary>
    public static CallRecord Call(CallStatus status = CallStatus.Queued, int maxRetries = 2, params CallAttempt[] attempts) => new()
    {
        CallId = CallId,
        PhoneNumber = PhoneNumber,
        CampaignId = "campaign-1",
        Config = new CallConfig { AnswerUrl = "https://agent.example.com/answer" },
        MaxRetries = maxRetries,
        Status = status,
        StatusReason = "before",
        JobId = DialJobId,
        CreatedAt = Start.AddMinutes(-10),
        Attempts = attempts,
    };

    public async Task SeedAsync(CallRecord call)
    {
        var created = await Store.CreateAsync([call], CancellationToken.None);
        Assert.That(created.Single().Created, Is.True, "seeded");
    }

    public async Task<CallRecord> CallAsync(string callId = CallId) =>
        await Store.GetAsync(callId, CancellationToken.None) ?? throw new AssertionException($"No call {callId}");

    public Task<long> SlotsHeldAsync() => Capacity.CountSlotsAsync(CancellationToken.None);

    public T Service<T>()
        where T : notnull => _services.GetRequiredService<T>();

    /// <summary>Runs the dial job of <paramref name="callId"/> as a Hangfire worker would under the job id <paramref name="jobId"/>.</summary>
    public Task DialAsync(string callId = CallId, string jobId = DialJobId)
    {
        var job = _services.GetRequiredService<DialCallJob>();
        var context = _hangfire.Perform(jobId, Job.FromExpression<DialCallJob>(dial => dial.ExecuteAsync(callId, null, CancellationToken.None)));
        return job.ExecuteAsync(callId, context, CancellationToken.None);
    }

    /// <summary>
    /// Runs the dial job of <paramref name="callId"/> as a Hangfire worker performs the jobs DialJobFactory creates
    /// (<see cref="DialCallJob.DialAsync"/>, its run's context made current as CurrentJobFilter does) under the job id
    /// <paramref name="jobId"/>; <paramref name="shuttingDown"/>: the worker's server is stopping.
    /// </summary>
    public async Task DialAsJobAsync(string callId = CallId, string jobId = DialJobId, bool shuttingDown = false)
    {
        var job = _services.GetRequiredService<DialCallJob>();
        CurrentJob.Context = _hangfire.Perform(jobId, Job.FromExpression<DialCallJob>(dial => dial.DialAsync(callId)), shuttingDown);
        try
        {
            await job.DialAsync(callId);
        }
        finally
        {
            CurrentJob.Context = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _hangfire.Dispose();
        await _services.DisposeAsync();
    }

    /// <summary>An application that has started (the Plivo warm-up waits for that before it runs).</summary>
    private sealed class StartedApplication : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted { get; } = new(canceled: true);

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
