using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace CallQueue.Tests.Infrastructure;

/// <summary>
/// A real <c>redis-server</c> process on a free 127.0.0.1 port. Nothing is persisted (no RDB, no AOF), so a stop loses
/// the data, which is what "Redis down, then back" tests want. Use <see cref="SharedRedis.Server"/> unless a test
/// stops or restarts Redis; such tests own their server: <c>await using var redis = await RedisServer.StartNewAsync();</c>.
/// </summary>
public sealed class RedisServer : IDisposable, IAsyncDisposable
{
    /// <summary>Environment variable naming the redis-server binary; when unset, PATH and then /usr/bin, /usr/local/bin are searched.</summary>
    public const string PathVariable = "REDIS_SERVER_PATH";

    public const string InstallHint = "run ./run-tests.sh or apt-get install redis-server";

    private const int PortAttempts = 5;
    private const int OutputLinesKept = 40;
    private static readonly string[] WellKnownPaths = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"];
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    // redis-server runs under this shell, which kills it when the shell's stdin closes (the watcher reads it through
    // fd 3 because sh gives background jobs /dev/null): on StopAsync, or when the test host dies without stopping it (a
    // crash, `dotnet test --blame-hang`), so no redis-server outlives the run. The shell exits only after reaping
    // redis-server, so once it has exited the port is closed and no zombie is left.
    private const string WatchdogScript = """
        exec 3<&0
        "$@" </dev/null 3<&- &
        redis=$!
        { read -r line; kill -KILL "$redis"; } <&3 2>/dev/null &
        watcher=$!
        wait "$redis"
        status=$?
        kill -KILL "$watcher" 2>/dev/null
        wait "$watcher"
        exit "$status"
        """;

    private readonly string _binary;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;
    private string? _directory;
    private bool _disposed;

    private readonly bool _appendOnly;
    private readonly int? _clusterBusPort;

    private RedisServer(string binary, int port, bool appendOnly, int? clusterBusPort)
    {
        _binary = binary;
        Port = port;
        _appendOnly = appendOnly;
        _clusterBusPort = clusterBusPort;
    }

    public int Port { get; }

    /// <summary>For REDIS_URL-style settings: <c>redis://127.0.0.1:{port}</c>.</summary>
    public string Url => $"redis://127.0.0.1:{Port}";

    /// <summary>StackExchange.Redis configuration string: <c>127.0.0.1:{port}</c>; append options with a comma.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts a server on a new free port and returns once it answers PING.</summary>
    /// <exception cref="FileNotFoundException">redis-server is not installed; the message says how to install it.</exception>
    /// <param name="appendOnly">Run with the append-only file (<c>appendonly yes</c>, fsync every second), so a
    /// <see cref="CrashAsync"/> and <see cref="RecoverAsync"/> keep every write Redis had acknowledged.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static Task<RedisServer> StartNewAsync(bool appendOnly = false, CancellationToken cancellationToken = default) =>
        StartOnFreePortAsync(appendOnly, clusterNode: false, cancellationToken);

    /// <summary>
    /// Starts a node for <see cref="RedisCluster"/> (<c>--cluster-enabled yes</c>, its <c>nodes.conf</c> in its own
    /// directory) and returns once it answers PING; it serves no slot until the cluster is created.
    /// </summary>
    internal static Task<RedisServer> StartClusterNodeAsync(CancellationToken cancellationToken = default) =>
        StartOnFreePortAsync(appendOnly: false, clusterNode: true, cancellationToken);

    private static async Task<RedisServer> StartOnFreePortAsync(bool appendOnly, bool clusterNode, CancellationToken cancellationToken)
    {
        var binary = FindBinary();
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            var server = new RedisServer(binary, port, appendOnly, clusterNode ? FreePort.NextExcept(port) : null);
            var started = false;
            try
            {
                started = await server.TryStartAsync(cancellationToken);
                if (started)
                {
                    return server;
                }

                // Another process took the free port before redis-server could bind it: try the next one.
                if (attempt == PortAttempts)
                {
                    throw server.PortTaken();
                }
            }
            finally
            {
                if (!started)
                {
                    await server.DisposeAsync();
                }
            }
        }
    }

    /// <summary>Starts the server again on the same <see cref="Port"/> with an empty data set; a no-op while it runs.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (!await TryStartAsync(cancellationToken))
        {
            throw PortTaken();
        }
    }

    /// <summary>Kills redis-server (SIGKILL) and keeps its directory (and append-only file) for <see cref="RecoverAsync"/>.</summary>
    public async Task CrashAsync()
    {
        await _gate.WaitAsync();
        try
        {
            await StopProcessAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Starts redis-server again on the same port and directory after <see cref="CrashAsync"/>: it loads what it had.</summary>
    public async Task RecoverAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (IsRunning || _directory is null)
            {
                throw new InvalidOperationException("RecoverAsync restarts a server stopped by CrashAsync.");
            }

            _output.Clear();
            _process = Launch(_directory);
            if (!await WaitUntilReadyAsync(_directory, cancellationToken))
            {
                throw PortTaken();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Kills redis-server (SIGKILL, as a crash would) and deletes its directory; on return the port refuses connections.</summary>
    public async Task StopAsync()
    {
        await _gate.WaitAsync();
        try
        {
            await StopCoreAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        await StopAsync();
        _disposed = true;
    }

    public override string ToString() => $"redis-server {ConnectionString}{(IsRunning ? "" : " (stopped)")}";

    /// <summary>The redis-server binary: <see cref="PathVariable"/>, else PATH, else /usr/bin or /usr/local/bin.</summary>
    public static string FindBinary() =>
        FindBinary(Environment.GetEnvironmentVariable(PathVariable), Environment.GetEnvironmentVariable("PATH"), WellKnownPaths);

    internal static string FindBinary(string? configuredPath, string? searchPath, IEnumerable<string> wellKnownPaths)
    {
        if (!string.IsNullOrEmpty(configuredPath))
        {
            return File.Exists(configuredPath)
                ? configuredPath
                : throw new FileNotFoundException(
                    $"redis-server not found at {PathVariable}={configuredPath}: unset {PathVariable}, or {InstallHint}", configuredPath);
        }

        return (searchPath ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "redis-server"))
            .Concat(wellKnownPaths)
            .FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"redis-server not found: {InstallHint}");
    }

    /// <returns>false when another process holds the port.</returns>
    private async Task<bool> TryStartAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (IsRunning)
            {
                return true;
            }

            await StopCoreAsync(); // what is left of a server that died by itself
            var ready = false;
            try
            {
                _directory = Directory.CreateTempSubdirectory("callqueue-redis-").FullName;
                _output.Clear();
                _process = Launch(_directory);
                ready = await WaitUntilReadyAsync(_directory, cancellationToken);
                return ready;
            }
            finally
            {
                if (!ready)
                {
                    await StopCoreAsync();
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private Process Launch(string directory)
    {
        var info = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        string[] arguments =
        [
            "-c", WatchdogScript, "redis-watchdog", _binary,
            "--bind", "127.0.0.1",
            "--port", Port.ToString(CultureInfo.InvariantCulture),
            "--save", "",
            "--appendonly", _appendOnly ? "yes" : "no",
            "--appendfsync", "everysec",
            "--protected-mode", "no",
            "--daemonize", "no",
            "--dir", directory,
            "--loglevel", "warning",
            .. ClusterArguments(),
        ];
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Record(e.Data);
        process.ErrorDataReceived += (_, e) => Record(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    // A cluster node's state file lives in its own --dir (deleted on stop). Its bus port is a free port of its own, not
    // the default port + 10000, which a free port above 55535 would push past 65535.
    private string[] ClusterArguments() => _clusterBusPort is { } busPort
        ? ["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-port", busPort.ToString(CultureInfo.InvariantCulture)]
        : [];

    /// <returns>true once our server answers; false when another process holds the port.</returns>
    private async Task<bool> WaitUntilReadyAsync(string directory, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            // redis-server logs this and exits when it cannot bind.
            if (_output.Any(line => line.Contains("Address already in use", StringComparison.Ordinal)))
            {
                return false;
            }

            if (_process is null || _process.HasExited)
            {
                throw new InvalidOperationException($"redis-server on port {Port} exited while starting.{OutputTail()}");
            }

            // Our server, not one that happens to hold the port: its working directory is ours.
            var reply = await RedisProbe.PingAsync(Port, cancellationToken);
            if (reply is not null && reply.StartsWith("+PONG\r\n", StringComparison.Ordinal)
                && reply.Contains(Path.GetFileName(directory), StringComparison.Ordinal))
            {
                return true;
            }

            if (deadline.Elapsed > ReadyTimeout)
            {
                throw new TimeoutException(
                    $"redis-server on port {Port} did not answer PING within {ReadyTimeout.TotalSeconds} s (last reply: {reply ?? "none"}).{OutputTail()}");
            }

            await Task.Delay(25, cancellationToken);
        }
    }

    private async Task StopCoreAsync()
    {
        await StopProcessAsync();
        if (_directory is { } directory)
        {
            _directory = null;
            Directory.Delete(directory, recursive: true);
        }
    }

    private async Task StopProcessAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            process.StandardInput.Close(); // the watchdog kills redis-server, reaps it and exits
            using (var timeout = new CancellationTokenSource(StopTimeout))
            {
                try
                {
                    await process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }
            }

            process.Dispose();
        }
    }

    private InvalidOperationException PortTaken() =>
        new InvalidOperationException($"redis-server could not listen on 127.0.0.1:{Port}: another process holds the port.{OutputTail()}");

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > OutputLinesKept && _output.TryDequeue(out _))
        {
        }
    }

    private string OutputTail() =>
        _output.IsEmpty ? " It printed nothing." : $"{Environment.NewLine}redis-server output:{Environment.NewLine}{string.Join(Environment.NewLine, _output)}";
}
