using CallQueue.Jobs.Agent;
using CallQueue.Jobs.Audit;
using CallQueue.Jobs.Campaigns;
using CallQueue.Jobs.Configuration;
using CallQueue.Jobs.Dialing;
using CallQueue.Jobs.Ingest;
using CallQueue.Jobs.Lifecycle;
using CallQueue.Jobs.Operators;
using CallQueue.Jobs.Plivo;
using CallQueue.Jobs.Queues;
using CallQueue.Jobs.Safety;
using CallQueue.Jobs.Storage;
using CallQueue.Jobs.Throttling;
using CallQueue.Jobs.Webhooks;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using Hangfire.InMemory;
using Hangfire.Redis.StackExchange;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CallQueue.Jobs.Hosting;

public static class ServiceCollectionExtensions
{
    // A dead process's jobs come back once Hangfire notices the server is gone (hangfire-notes §3): the defaults (5 min
    // timeout, checked every 5 min) would leave a call waiting up to ~11 min; ours: HANGFIRE_SERVER_TIMEOUT_SECONDS.
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);
    private const int InternalWorkers = 2;

    /// <summary>
    /// Registers call storage, Hangfire (Redis when REDIS_URL is set, else in memory), the dial and internal servers,
    /// and the jobs. Every process sharing one Redis must call this, so all register the same filters.
    /// </summary>
    public static IServiceCollection AddCallQueueJobs(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RedisOptions>().Bind(configuration).ValidateOnStart();
        services.AddOptions<QueueOptions>().Bind(configuration).ValidateOnStart();
        services.AddOptions<PlivoOptions>().Bind(configuration).ValidateOnStart();
        services.AddOptions<AgentOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<QueueOptions>, QueueOptionsValidator>();
        services.AddSingleton<IValidateOptions<RedisOptions>, RedisOptionsValidator>();
        services.AddSingleton<IValidateOptions<PlivoOptions>, PlivoOptionsValidator>();
        services.AddSingleton<IValidateOptions<AgentOptions>, AgentOptionsValidator>();
        services.AddSingleton(TimeProvider.System);

        // Callee safety (issue 11): calling hours and deadlines, the number's rules; consulted at queue and dial time.
        services.AddCallingHours(configuration);
        services.AddNumberRules(configuration);

        // Call events for the backend (issue 13): recorded with the state change, delivered by their own jobs.
        services.AddWebhooks(configuration);
        services.AddTransient<IBatchCompletion, BatchCompletion>();

        var redis = configuration.Get<RedisOptions>() ?? new RedisOptions();
        if (redis.IsConfigured)
        {
            services.AddRedisStorage(redis);
        }
        else
        {
            services.AddSingleton<IWebhookOutbox, InMemoryWebhookOutbox>();
            services.AddSingleton<ICallStore>(provider => new InMemoryCallStore(
                provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<CallWebhookEvents>(), provider.GetRequiredService<IWebhookOutbox>()));
            services.AddSingleton<IDoNotCallList, InMemoryDoNotCallList>();
            services.AddSingleton<INumberGuard, InMemoryNumberGuard>();
            services.AddSingleton<IAuditLog, InMemoryAuditLog>();
            services.AddSingleton<ICampaignStates, InMemoryCampaignStates>();
            services.AddSingleton<JobStorage>(provider =>
            {
                EnsureHangfireConfigured(provider);
                return new InMemoryStorage(new InMemoryStorageOptions());
            });
            services.AddSingleton<IDialQueueLengths>(provider => new MonitoringDialQueueLengths(provider.GetRequiredService<JobStorage>()));
        }

        services.AddCallCapacity(redis);

        // Used only with a store that writes a call with its job (Redis); names keys, opens nothing.
        services.AddSingleton(new EnqueueChecks(redis.KeyPrefix, HangfirePrefix(redis)));

        // Registered before AddHangfire, whose TryAdd would otherwise bind them to Hangfire's static globals.
        services.AddSingleton<IJobFilterProvider, CallQueueJobFilterProvider>();
        services.AddSingleton<JobActivator>(provider => new AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire(hangfire => hangfire
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());

        services.AddTransient<DialCallJob>();
        services.AddTransient<CreateDialJobsJob>();
        services.AddSingleton<UnacknowledgedCallWithdrawal>();
        services.AddHostedService(provider => provider.GetRequiredService<UnacknowledgedCallWithdrawal>());
        services.AddTransient<DialJobFactory>();
        services.AddSingleton(provider => new CallLifecycle(
            RetryPolicy.From(provider.GetRequiredService<IOptions<QueueOptions>>().Value), provider.GetRequiredService<CallSafety>()));
        services.AddTransient<CallTransitions>();
        services.AddTransient<CallEffects>();
        services.AddTransient<AttemptSettler>();
        services.AddTransient<DialEffects>();
        services.AddTransient<DialRequestBuilder>();
        services.AddTransient<UnfinishedAttempts>();
        services.AddTransient<PlivoCallFinder>();
        services.AddTransient<ReconcileCallsJob>();
        services.AddHostedService<RecurringJobRegistration>();
        services.AddTransient<CallRequeuer>();
        services.AddTransient<CallCanceller>();
        services.AddPlivoClient();
        services.AddSingleton<PlivoWarmup>();
        services.AddHostedService(provider => provider.GetRequiredService<PlivoWarmup>());
        services.AddAgentHandoff();
        services.AddTransient<DialGates>();
        services.AddTransient<CalleeGate>();

        // Campaigns and batches as the operator's unit (issue 12): pause, resume, cancel, progress and ETA.
        services.AddTransient<CampaignGate>();
        services.AddTransient<CampaignControl>();
        services.AddTransient<CampaignProgressReader>();
        services.AddTransient<CampaignSweepJob>();
        services.AddSingleton<AgentGate>();
        services.AddHostedService(provider => provider.GetRequiredService<AgentGate>());
        services.AddHttpClient(AgentGate.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(3));
        return services;
    }

    /// <summary>The Hangfire servers of this process: the dial server (QUEUE_WORKERS) and a small internal one.</summary>
    public static IServiceCollection AddCallQueueServers(this IServiceCollection services, QueueOptions queueOptions)
    {
        ArgumentNullException.ThrowIfNull(queueOptions);

        // QUEUE_WORKERS=0: this process takes calls over HTTP but dials none (an API-only replica).
        if (queueOptions.Workers > 0)
        {
            services.AddHangfireServer((provider, server) =>
            {
                var queue = provider.GetRequiredService<IOptions<QueueOptions>>().Value;
                server.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}:dial";
                server.Queues = HangfireQueues.Dial;
                server.WorkerCount = queue.Workers;
                Configure(server, queue);
            });
        }

        services.AddHangfireServer((provider, server) =>
        {
            var queue = provider.GetRequiredService<IOptions<QueueOptions>>().Value;
            server.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}:internal";
            server.Queues = HangfireQueues.Internal;
            server.WorkerCount = InternalWorkers;
            Configure(server, queue);
        });
        return services;
    }

    private static void Configure(BackgroundJobServerOptions server, QueueOptions queue)
    {
        server.SchedulePollingInterval = TimeSpan.FromSeconds(queue.SchedulePollingSeconds);
        server.HeartbeatInterval = HeartbeatInterval;
        server.ShutdownTimeout = GracefulShutdown.HangfireShutdownTimeout;
        server.ServerTimeout = TimeSpan.FromSeconds(queue.ServerTimeoutSeconds);
        server.ServerCheckInterval = TimeSpan.FromSeconds(Math.Max(5, queue.ServerTimeoutSeconds / 3));
    }

    // Hangfire logs through a static provider that AddHangfire points at this host's logger factory when its
    // configuration is first resolved; storage created before that would log into a previous (disposed) host's factory.
    private static void EnsureHangfireConfigured(IServiceProvider provider) => provider.GetRequiredService<IGlobalConfiguration>();

    private static string HangfirePrefix(RedisOptions redis) => "{" + redis.KeyPrefix + "}:hangfire:";

    /// <summary>A connection to REDIS_URL, its options (<see cref="RedisUrl.Parse"/>) adjusted by <paramref name="adjust"/>.</summary>
    private static ConnectionMultiplexer Connect(RedisOptions redis, Action<ConfigurationOptions> adjust)
    {
        var options = RedisUrl.Parse(redis.Url!);
        adjust(options);
        return ConnectionMultiplexer.Connect(options);
    }

    private static void AddRedisStorage(this IServiceCollection services, RedisOptions redis)
    {
        // Two connections to the one Redis, each shared by everything of its kind (hangfire-notes §5 asks for one shared
        // multiplexer rather than one per component). The dial side (Hangfire's storage and the cluster-wide caps) keeps
        // StackExchange.Redis's dedicated reader threads: Hangfire's storage is synchronous (its client, dashboard and
        // fetchers block on every reply), and that pool exists so threads blocked on Redis cannot starve the pool that
        // would process their replies; the limiter's waiting line is only as fair as its replies are prompt, and on the
        // thread pool they waited behind the pool's queue under load (ClusterCapacityEndToEndTests' FIFO check).
        // Everything else (call records, do-not-call, campaigns, webhook outbox, audit) is asynchronous end to end: its
        // replies complete on the thread pool directly, one thread hand-off less per Redis call (the single enqueue
        // +23 % on 2 cores, docs/benchmarks.md, issue 15).
        services.AddSingleton<IConnectionMultiplexer>(_ => Connect(redis, options => options.SocketManager = SocketManager.ThreadPool));
        services.AddKeyedSingleton<IConnectionMultiplexer>(RedisConnections.Dispatch, (_, _) => Connect(redis, options => options.ClientName += "-dispatch"));
        services.AddSingleton<ICallStore>(provider => new RedisCallStore(
            provider.GetRequiredService<IConnectionMultiplexer>(),
            redis.KeyPrefix,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<CallWebhookEvents>(),
            hangfirePrefix: HangfirePrefix(redis)));
        services.AddSingleton<IWebhookOutbox>(provider => new RedisWebhookOutbox(
            provider.GetRequiredService<IConnectionMultiplexer>(), redis.KeyPrefix, provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IDoNotCallList>(provider => new RedisDoNotCallList(provider.GetRequiredService<IConnectionMultiplexer>(), redis.KeyPrefix));
        services.AddSingleton<INumberGuard>(provider => new RedisNumberGuard(provider.GetRequiredService<IConnectionMultiplexer>(), redis.KeyPrefix));
        services.AddSingleton<IAuditLog>(provider => new RedisAuditLog(provider.GetRequiredService<IConnectionMultiplexer>(), redis.KeyPrefix));
        services.AddSingleton<ICampaignStates>(provider => new RedisCampaignStates(provider.GetRequiredService<IConnectionMultiplexer>(), redis.KeyPrefix));
        services.AddSingleton<JobStorage>(provider =>
        {
            EnsureHangfireConfigured(provider);
            var multiplexer = provider.GetRequiredKeyedService<IConnectionMultiplexer>(RedisConnections.Dispatch);
            return new RedisStorage(multiplexer, new RedisStorageOptions
            {
                Prefix = HangfirePrefix(redis),
                Db = multiplexer.GetDatabase().Database,
            });
        });
        services.AddSingleton<IDialQueueLengths>(provider => new RedisDialQueueLengths(provider.GetRequiredService<IConnectionMultiplexer>(), HangfirePrefix(redis)));
    }
}
