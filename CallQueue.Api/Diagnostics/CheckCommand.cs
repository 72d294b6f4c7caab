using System.Globalization;
using StackExchange.Redis;

namespace CallQueue.Api.Diagnostics;

/// <summary>
/// <c>dotnet run --project CallQueue.Api -- check</c> (or <c>dotnet CallQueue.Api.dll check</c>): the seed's
/// <c>test_queue_agent_connection.py</c>. Reads the configuration exactly as the service does and prints one
/// PASS/WARN/FAIL line per check — configuration, Redis, agent server, Plivo credentials, a round trip through the queue —
/// each failure with its fix, then a summary. Exit code 0 when nothing failed, 1 otherwise (2: bad arguments).
/// </summary>
/// <remarks>
/// The round trip (and, in sandbox mode, the Plivo check) runs on the service itself, started by the check for a few
/// seconds on a free 127.0.0.1 port and on a Redis key prefix of its own that is deleted afterwards
/// (<see cref="CheckServer"/>): it works with or without a running instance, and never touches the real queues. With
/// live Plivo nothing is dialed: the round trip is a no-op Hangfire job.
/// </remarks>
public static class CheckCommand
{
    public const string Verb = "check";
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>True when the command line asks for the check verb (its first argument is <c>check</c>).</summary>
    public static bool IsInvoked(string[] args) => args is [Verb, ..];

    /// <summary>Runs the checks; <paramref name="args"/> may start with the verb itself.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var output = Console.Out;
        if (!TryParse(IsInvoked(args) ? args[1..] : args, out var options, out var error))
        {
            await Console.Error.WriteLineAsync(error);
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        if (options.Help)
        {
            await output.WriteLineAsync(Usage);
            return 0;
        }

        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler cancel = (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        Console.CancelKeyPress += cancel;
        try
        {
            return await RunChecksAsync(options, output, cancellation.Token);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("check cancelled");
            return 1;
        }
        finally
        {
            Console.CancelKeyPress -= cancel;
        }
    }

    private static async Task<int> RunChecksAsync(CheckOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        await using var context = new CheckContext(options.HostArgs, options.Timeout, options.Verbose);
        var report = new CheckReport(output);
        await output.WriteLineAsync(
            $"CallQueue check: configuration from appsettings.json, {CheckHost.DotEnv().Path} and the environment, as the service reads it");

        ConfigurationCheck.Run(context, report);
        await RedisCheck.RunAsync(context, report);
        await AgentServerCheck.RunAsync(context, report, cancellationToken);

        var blockedBy = !context.ConfigurationValid ? "the service would not start with this configuration"
            : context.Redis!.IsConfigured && !context.RedisReachable ? "Redis connection failed"
            : null;
        CheckServer? server = null;
        if (blockedBy is null)
        {
            try
            {
                server = await CheckServer.StartAsync(context, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Whatever stops the service from starting is what the operator needs to see.
                var problem = Hosting.StartupErrors.Describe(ex) is { } problems ? string.Join("; ", problems) : ex.Message;
                report.Add(CheckResult.Fail("service", $"the service did not start: {problem}", "run the check with --verbose to see the service's log"));
                blockedBy = "the service did not start";
            }
        }

        try
        {
            await PlivoCheck.RunAsync(context, server, report, cancellationToken);
            if (blockedBy is null && server is { IsSandbox: true } && context.Agent is { IsConfigured: true } && !context.AgentReachable)
            {
                blockedBy = "dialing is paused while the agent server is unreachable";
            }

            await QueueRoundTripCheck.RunAsync(context, server, blockedBy, report, cancellationToken);
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
                await RemoveKeysAsync(context, server.KeyPrefix, report);
            }
        }

        report.WriteSummary();
        return report.ExitCode;
    }

    /// <summary>Deletes every key of the check server's own prefix (<c>{prefix}…</c>): call records, Hangfire's jobs and servers.</summary>
    private static async Task RemoveKeysAsync(CheckContext context, string keyPrefix, CheckReport report)
    {
        if (context.Redis is not { IsConfigured: true } redis)
        {
            return;
        }

        try
        {
            await using var connection = await RedisCheck.ConnectAsync(redis.Url!);
            var database = connection.GetDatabase();
            var pattern = "{" + keyPrefix + "}*";
            foreach (var endpoint in connection.GetEndPoints())
            {
                var server = connection.GetServer(endpoint);
                if (server.IsReplica)
                {
                    continue;
                }

                var keys = new List<RedisKey>();
                await foreach (var key in server.KeysAsync(database.Database, pattern, pageSize: 500))
                {
                    keys.Add(key);
                }

                foreach (var chunk in keys.Chunk(500))
                {
                    await database.KeyDeleteAsync(chunk);
                }
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            report.Add(CheckResult.Warn("cleanup", $"the check's keys {{{keyPrefix}}}* could not be deleted: {RedisCheck.Describe(ex, redis.Url!)}", "delete them with redis-cli --scan --pattern '{" + keyPrefix + "}*'"));
        }
    }

    public const string Usage = """
        Usage: dotnet run --project CallQueue.Api -- check [--timeout SECONDS] [--verbose] [--KEY=value ...]
               dotnet CallQueue.Api.dll check [...]

        Checks what the service needs, with the configuration the service would use (appsettings.json, .env in the
        working directory, environment variables, --KEY=value arguments): configuration, Redis, agent server, Plivo
        credentials, and a round trip through the queue. One PASS/WARN/FAIL line per check; exit code 0 when none failed.

          --timeout SECONDS   how long the round trip may take (default 30)
          --verbose           also print the service's log
        """;

    private static bool TryParse(string[] args, out CheckOptions options, out string error)
    {
        options = new CheckOptions();
        error = string.Empty;
        var hostArgs = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "-h" or "--help":
                    options = options with { Help = true };
                    break;
                case "-v" or "--verbose":
                    options = options with { Verbose = true };
                    break;
                case "--timeout":
                    var value = i + 1 < args.Length ? args[++i] : string.Empty;
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds is < 1 or > 3_600)
                    {
                        error = $"check: --timeout must be a number of seconds from 1 to 3600 (got '{value}')";
                        return false;
                    }

                    options = options with { Timeout = TimeSpan.FromSeconds(seconds) };
                    break;
                case var argument when argument.StartsWith("--", StringComparison.Ordinal) && argument.Contains('=', StringComparison.Ordinal):
                    // Configuration for the host, like the service's own command line (--REDIS_URL=redis://…).
                    hostArgs.Add(argument);
                    break;
                default:
                    error = $"check: unknown argument '{args[i]}'";
                    return false;
            }
        }

        options = options with { HostArgs = [.. hostArgs] };
        return true;
    }

    private sealed record CheckOptions
    {
        public bool Help { get; init; }

        public bool Verbose { get; init; }

        public TimeSpan Timeout { get; init; } = DefaultTimeout;

        public string[] HostArgs { get; init; } = [];
    }
}
