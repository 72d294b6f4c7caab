using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace CallQueue.Tests.Deploy;

/// <summary>What a finished process printed, and how it exited.</summary>
public sealed record ProcessResult(int ExitCode, string Output, string Error)
{
    /// <summary>Both streams, for assertion messages.</summary>
    public override string ToString() => $"exit code {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
}

/// <summary>Runs a command to completion (scripts, docker compose, the check verb), capturing both streams.</summary>
public static class ProcessRunner
{
    /// <summary>Settings of the service a test process must not inherit from the machine running the tests.</summary>
    private static readonly string[] ServicePrefixes =
    [
        "REDIS_", "PLIVO_", "AGENT_", "DASHBOARD_", "SANDBOX_", "ASPNETCORE_", "DOTNET_ENVIRONMENT", "API_KEYS", "PUBLIC_BASE_URL",
        "QUEUE_WORKERS", "MAX_CONCURRENT_CALLS", "RATE_LIMIT_PER_SECOND", "RETRY_DELAY_SECONDS", "PROVIDER_RETRY_DELAY_SECONDS",
        "SCHEDULE_POLLING_SECONDS", "INGEST_WORKERS", "SLOT_WAIT_SECONDS", "DEFAULT_MAX_DURATION_SECONDS", "RECONCILE_GRACE_SECONDS",
        "HANGFIRE_", "LOG_LEVEL", "HOST", "PORT", "Logging__", "GCP_", "GOOGLE_CLOUD_PROJECT", "COMPOSE_", "WORKER_QUEUE_WORKERS",
        "OTEL_", "AUTH_FAILURES_PER_MINUTE",
    ];

    /// <summary>
    /// Runs <paramref name="fileName"/> to completion. <paramref name="environment"/> is set (a null value removes the
    /// variable) on top of the inherited environment minus the service's settings, or on top of nothing when
    /// <paramref name="inheritEnvironment"/> is false (PATH and HOME must then be given). Returns null when the command is
    /// not installed; fails the test when it outlives <paramref name="timeout"/> (default 120 s).
    /// </summary>
    public static async Task<ProcessResult?> TryRunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        IDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null,
        bool inheritEnvironment = true)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (!inheritEnvironment)
        {
            start.Environment.Clear();
        }

        foreach (var key in start.Environment.Keys.Where(key => ServicePrefixes.Any(prefix => key.StartsWith(prefix, StringComparison.Ordinal))).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        using var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, line) => Append(output, line.Data);
        process.ErrorDataReceived += (_, line) => Append(error, line.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception)
        {
            return null;
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"{fileName} {string.Join(' ', start.ArgumentList)} did not finish within {timeout ?? TimeSpan.FromSeconds(120)}:\n"
                + new ProcessResult(-1, Read(output), Read(error)));
        }

        process.WaitForExit(); // flushes the asynchronous readers
        return new ProcessResult(process.ExitCode, Read(output), Read(error));
    }

    /// <summary>Like <see cref="TryRunAsync"/>, failing the test when the command is not installed.</summary>
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        IDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null,
        bool inheritEnvironment = true) =>
        await TryRunAsync(fileName, arguments, workingDirectory, environment, timeout, inheritEnvironment)
        ?? throw new AssertionException($"{fileName} is not installed.");

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (buffer)
        {
            buffer.AppendLine(line);
        }
    }

    private static string Read(StringBuilder buffer)
    {
        lock (buffer)
        {
            return buffer.ToString();
        }
    }
}
