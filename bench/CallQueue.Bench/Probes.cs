using System.Globalization;
using StackExchange.Redis;

namespace CallQueue.Bench;

/// <summary>What the scenarios read off Redis (INFO) and off a process (/proc) while they run.</summary>
internal static class Probes
{
    // /proc/PID/stat counts CPU time in clock ticks: 100 per second on Linux (USER_HZ).
    private const double TicksPerSecond = 100;

    public static string Info(IServer server, string section, string field) =>
        server.Info(section).SelectMany(group => group).First(pair => pair.Key == field).Value;

    public static long UsedMemory(IServer server) => long.Parse(Info(server, "memory", "used_memory"), CultureInfo.InvariantCulture);

    /// <summary>INFO cpu used_cpu_sys + used_cpu_user: seconds of CPU redis-server has used since it started.</summary>
    public static double RedisCpuSeconds(IServer server) =>
        double.Parse(Info(server, "cpu", "used_cpu_sys"), CultureInfo.InvariantCulture) + double.Parse(Info(server, "cpu", "used_cpu_user"), CultureInfo.InvariantCulture);

    /// <summary>INFO stats total_commands_processed.</summary>
    public static long CommandsProcessed(IServer server) => long.Parse(Info(server, "stats", "total_commands_processed"), CultureInfo.InvariantCulture);

    /// <summary>Redis commands per second over <paramref name="seconds"/> of waiting (the two INFO calls themselves taken out).</summary>
    public static async Task<double> CommandsPerSecondAsync(IServer server, int seconds)
    {
        var before = CommandsProcessed(server);
        var started = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var after = CommandsProcessed(server);
        return (after - before - 1) / started.Elapsed.TotalSeconds;
    }

    /// <summary>INFO commandstats: calls per command (cmdstat_evalsha -> evalsha).</summary>
    public static Dictionary<string, long> CommandCalls(IServer server) =>
        server.Info("commandstats").SelectMany(group => group).ToDictionary(
            pair => pair.Key.Replace("cmdstat_", string.Empty, StringComparison.Ordinal),
            pair => long.Parse(pair.Value.Split(',')[0]["calls=".Length..], CultureInfo.InvariantCulture),
            StringComparer.Ordinal);

    /// <summary>utime + stime of a process (/proc/PID/stat), in seconds.</summary>
    public static double ProcessCpuSeconds(int pid)
    {
        // The fields after the command name, which is in parentheses and may hold spaces: state is field 3, utime 14, stime 15.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    public static string Rss(int pid)
    {
        var lines = File.ReadAllLines($"/proc/{pid}/status");
        string Field(string name) => lines.First(line => line.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..].Trim();
        return $"VmRSS {Field("VmRSS")} (peak VmHWM {Field("VmHWM")})";
    }
}
