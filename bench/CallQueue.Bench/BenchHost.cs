using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace CallQueue.Bench;

/// <summary>
/// One benchmark's world, like bench/bulk-ingest.sh: its own redis-server (no persistence) and one Release build of the
/// service, both on free loopback ports, in a temporary directory that holds the services' logs. More service processes
/// on the same Redis can be added (<see cref="AddServiceAsync"/>). Disposing kills them all (by process id) and removes
/// the directory.
/// </summary>
internal sealed class BenchHost : IAsyncDisposable
{
    public const string KeyPrefix = "callqueue";

    private readonly string _work = Directory.CreateTempSubdirectory("callqueue-bench-").FullName;
    private readonly List<Process> _services = [];
    private Process? _redis;

    public int RedisPort { get; private set; }

    public string RedisUrl => FormattableString.Invariant($"redis://127.0.0.1:{RedisPort}");

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    public ConnectionMultiplexer Redis { get; private set; } = null!;

    public int ServicePid => _services.Count > 0 ? _services[0].Id : throw new InvalidOperationException("The service is not running.");

    // redisArguments: extra redis-server arguments, e.g. "--hash-max-listpack-value 1024".
    public static async Task<BenchHost> StartAsync(string repositoryRoot, IReadOnlyDictionary<string, string> settings, IReadOnlyList<string>? redisArguments = null)
    {
        var host = new BenchHost();
        try
        {
            await host.StartRedisAsync(redisArguments ?? []);
            host.BaseAddress = (await host.AddServiceAsync(repositoryRoot, settings)).BaseAddress;
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>A fresh redis-server alone, for scenarios that measure Redis itself (no service).</summary>
    public static async Task<BenchHost> StartRedisOnlyAsync(IReadOnlyList<string>? redisArguments = null)
    {
        var host = new BenchHost();
        try
        {
            await host.StartRedisAsync(redisArguments ?? []);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    private async Task StartRedisAsync(IReadOnlyList<string> redisArguments)
    {
        // A free port can be taken by someone else before redis-server binds it: then it exits, and we try another.
        for (var attempt = 1; ; attempt++)
        {
            RedisPort = FreePort();
            var start = new ProcessStartInfo("redis-server")
            {
                ArgumentList = { "--port", RedisPort.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _work },
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (var argument in redisArguments)
            {
                start.ArgumentList.Add(argument);
            }

            _redis = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
            _redis.BeginOutputReadLine();
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!_redis.HasExited && DateTime.UtcNow < deadline)
            {
                try
                {
                    Redis = await ConnectionMultiplexer.ConnectAsync(FormattableString.Invariant($"127.0.0.1:{RedisPort},allowAdmin=true"));
                    return;
                }
                catch (RedisConnectionException)
                {
                    await Task.Delay(100);
                }
            }

            if (!_redis.HasExited)
            {
                _redis.Kill();
            }

            await _redis.WaitForExitAsync();
            _redis.Dispose();
            _redis = null;
            if (attempt == 3)
            {
                throw new InvalidOperationException("redis-server did not start in 3 attempts");
            }
        }
    }

    /// <summary>
    /// Starts one more Release build of the service on this host's redis-server (same REDIS_KEY_PREFIX unless
    /// <paramref name="settings"/> names another) and waits until it is healthy.
    /// </summary>
    public async Task<BenchService> AddServiceAsync(string repositoryRoot, IReadOnlyDictionary<string, string> settings)
    {
        var dll = Path.Combine(repositoryRoot, "CallQueue.Api", "bin", "Release", "net10.0", "CallQueue.Api.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} not found: build it first (dotnet build -c Release CallQueue.Api).");
        }

        var port = FreePort();
        var baseAddress = new Uri(FormattableString.Invariant($"http://127.0.0.1:{port}/"));
        var name = FormattableString.Invariant($"service-{_services.Count + 1}");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll },
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["HOST"] = "127.0.0.1";
        start.Environment["PORT"] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["LOG_LEVEL"] = "WARNING";
        start.Environment["LOG_FILE"] = Path.Combine(_work, name + "-queue_system.log");
        start.Environment["REDIS_URL"] = RedisUrl;
        start.Environment["REDIS_KEY_PREFIX"] = KeyPrefix;

        // The throughput scenarios measure the queue, not the clock: calling hours are off unless a scenario sets them
        // (the hours scenario does), so a run at night in India measures the same thing as one by day.
        start.Environment["CALLING_HOURS"] = "off";
        start.Environment["LEGAL_CALLING_HOURS"] = "off";
        foreach (var (setting, value) in settings)
        {
            start.Environment[setting] = value;
        }

        var log = new StreamWriter(Path.Combine(_work, name + ".log")) { AutoFlush = true };
        var service = Process.Start(start) ?? throw new InvalidOperationException("the service did not start");
        _services.Add(service);
        service.OutputDataReceived += (_, line) => Write(log, line.Data);
        service.ErrorDataReceived += (_, line) => Write(log, line.Data);
        service.BeginOutputReadLine();
        service.BeginErrorReadLine();

        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            if (service.HasExited)
            {
                throw new InvalidOperationException($"the service exited with {service.ExitCode}; its log: {Path.Combine(_work, name + ".log")}");
            }

            try
            {
                using var health = await client.GetAsync(new Uri("api/health", UriKind.Relative));
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return new BenchService(baseAddress, service.Id);
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the service did not become healthy within 90 s");
            }

            await Task.Delay(200);
        }
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.WriteLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _services.Append(_redis))
        {
            if (process is null)
            {
                continue;
            }

            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }
            }
            catch (InvalidOperationException)
            {
            }

            process.Dispose();
        }

        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }

        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
