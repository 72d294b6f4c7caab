using System.Diagnostics;
using System.Text;
using CallQueue.Tests.Infrastructure;

namespace CallQueue.Tests.Support;

/// <summary>
/// CallQueue as a real separate process (<c>dotnet CallQueue.Api.dll</c> from the Api project's build output), for
/// tests that kill a process mid-work or run several against one Redis.
/// </summary>
public sealed class CallQueueProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private CallQueueProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<CallQueueProcess> StartAsync(IDictionary<string, string?> settings, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var chosenPort = port ?? FreePort.Next();
        var start = new ProcessStartInfo("dotnet", [ApiAssembly()])
        {
            WorkingDirectory = Path.GetDirectoryName(ApiAssembly())!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["HOST"] = "127.0.0.1";
        start.Environment["PORT"] = chosenPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["LOG_LEVEL"] = "WARNING";
        start.Environment["LOG_FILE"] = string.Empty; // the console is read; a test that wants the file names one
        foreach (var (key, value) in SafetyDefaults.Off)
        {
            start.Environment[key] = value;
        }

        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        var instance = new CallQueueProcess(process, chosenPort);
        process.OutputDataReceived += (_, line) => instance.Append(line.Data);
        process.ErrorDataReceived += (_, line) => instance.Append(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await instance.WaitUntilHealthyAsync();
        }
        catch
        {
            // A process that never became healthy is not handed out, so nobody else would stop it.
            await instance.DisposeAsync();
            throw;
        }

        return instance;
    }

    /// <summary>kill -TERM (what Docker and Cloud Run send): the graceful shutdown; returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            using var wait = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
            await _process.WaitForExitAsync(wait.Token);
        }

        return _process.ExitCode;
    }

    /// <summary>kill -9: no graceful shutdown, no requeue, exactly like a crashed container.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"CallQueue process exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("/api/health", UriKind.Relative));
                if ((int)response.StatusCode < 500)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
                // The 5 s request timeout: a process still starting on busy cores. The 60 s deadline decides.
            }

            await Task.Delay(200);
        }

        Assert.Fail($"CallQueue process did not answer /api/health within 60 s:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>The Api's own build output next to this test build (same configuration), where its runtimeconfig lives.</summary>
    private static string ApiAssembly()
    {
        var testOutput = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var directory = new DirectoryInfo(testOutput);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CallQueueSystem.sln")))
        {
            directory = directory.Parent;
        }

        if (directory is null)
        {
            throw new InvalidOperationException($"CallQueueSystem.sln not found above {testOutput}");
        }

        var configuration = new DirectoryInfo(testOutput).Parent!.Name; // …/bin/{Configuration}/net10.0
        var path = Path.Combine(directory.FullName, "CallQueue.Api", "bin", configuration, "net10.0", "CallQueue.Api.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build CallQueue.Api first: {path} is missing.");
    }
}
