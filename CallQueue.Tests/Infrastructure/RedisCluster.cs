using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace CallQueue.Tests.Infrastructure;

/// <summary>
/// A real three-node Redis Cluster on free 127.0.0.1 ports: three <see cref="RedisServer"/> nodes started with
/// <c>--cluster-enabled yes</c>, joined by <c>redis-cli --cluster create … --cluster-replicas 0</c> (the 16384 slots split
/// in three, no replicas), and returned once every node reports <c>cluster_state:ok</c>. Nothing is persisted; disposing
/// stops the nodes and deletes their directories. <c>await using var cluster = await RedisCluster.StartNewAsync();</c>
/// </summary>
public sealed class RedisCluster : IAsyncDisposable
{
    public const string CliInstallHint = "redis-cli is in the Debian/Ubuntu package redis-tools (a dependency of redis-server): run ./run-tests.sh or apt-get install redis-tools";

    private const int NodeCount = 3;
    private static readonly string[] WellKnownDirectories = ["/usr/bin", "/usr/local/bin"];
    private static readonly TimeSpan CreateTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private RedisCluster(IReadOnlyList<RedisServer> nodes, ConnectionMultiplexer client)
    {
        Nodes = nodes;
        Client = client;
    }

    public IReadOnlyList<RedisServer> Nodes { get; }

    /// <summary>REDIS_URL of the first node only: a cluster client discovers the other nodes from it.</summary>
    public string Url => Nodes[0].Url;

    /// <summary>StackExchange.Redis configuration string of the first node only (see <see cref="Url"/>).</summary>
    public string ConnectionString => Nodes[0].ConnectionString;

    /// <summary>A client of the whole cluster, for a test to look at what landed where.</summary>
    public ConnectionMultiplexer Client { get; }

    /// <summary>Starts three nodes, creates the cluster and waits until every node says it is ok.</summary>
    /// <exception cref="FileNotFoundException">redis-server or redis-cli is not installed; the message names the package.</exception>
    public static async Task<RedisCluster> StartNewAsync(CancellationToken cancellationToken = default)
    {
        var cli = FindCli(Path.GetDirectoryName(RedisServer.FindBinary()), Environment.GetEnvironmentVariable("PATH"), WellKnownDirectories);
        var nodes = new List<RedisServer>();
        try
        {
            for (var i = 0; i < NodeCount; i++)
            {
                nodes.Add(await RedisServer.StartClusterNodeAsync(cancellationToken));
            }

            await CreateAsync(cli, nodes, cancellationToken);
            await WaitUntilOkAsync(nodes, cancellationToken);
            var client = await ConnectionMultiplexer.ConnectAsync(nodes[0].ConnectionString);
            return new RedisCluster(nodes, client);
        }
        catch
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>The node that serves the hash slot of <c>{keyPrefix}</c>, the hash tag of every key under that prefix.</summary>
    public RedisServer NodeServing(string keyPrefix)
    {
        var slot = Client.HashSlot("{" + keyPrefix + "}");
        var owner = Client.GetServer(ConnectionString).ClusterConfiguration?.GetBySlot(slot)
            ?? throw new InvalidOperationException($"No node of the cluster serves slot {slot}.");
        return Nodes.Single(node => owner.EndPoint?.ToString() == node.ConnectionString);
    }

    /// <summary>
    /// A new REDIS_KEY_PREFIX whose slot the first node does not serve, so a client given <see cref="Url"/> finds its
    /// keys only by following the cluster.
    /// </summary>
    public string NewKeyPrefix()
    {
        while (true)
        {
            var prefix = "t" + Guid.NewGuid().ToString("N")[..12];
            if (NodeServing(prefix) != Nodes[0])
            {
                return prefix;
            }
        }
    }

    /// <summary>
    /// The first of <c>{stem}-1</c>, <c>{stem}-2</c>, … whose hash slot <paramref name="node"/> serves: a REDIS_KEY_PREFIX
    /// for a deployment that is to live on that node (each node serves a third of the slots, so a few tries at most).
    /// </summary>
    public string KeyPrefixServedBy(RedisServer node, string stem)
    {
        for (var i = 1; i <= 1_000; i++)
        {
            var prefix = string.Create(CultureInfo.InvariantCulture, $"{stem}-{i}");
            if (NodeServing(prefix) == node)
            {
                return prefix;
            }
        }

        throw new InvalidOperationException($"No prefix {stem}-1 … {stem}-1000 lands on {node.ConnectionString}.");
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }
    }

    public override string ToString() => $"redis cluster {string.Join(' ', Nodes.Select(node => node.ConnectionString))}";

    /// <summary>redis-cli: next to redis-server, else on PATH, else in /usr/bin or /usr/local/bin.</summary>
    internal static string FindCli(string? serverDirectory, string? searchPath, IEnumerable<string> wellKnownDirectories) =>
        new[] { serverDirectory }
            .Concat((searchPath ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            .Concat(wellKnownDirectories)
            .Where(directory => !string.IsNullOrEmpty(directory))
            .Select(directory => Path.Combine(directory!, "redis-cli"))
            .FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"redis-cli not found: {CliInstallHint}");

    private static async Task CreateAsync(string cli, List<RedisServer> nodes, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(cli)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("--cluster");
        start.ArgumentList.Add("create");
        foreach (var node in nodes)
        {
            start.ArgumentList.Add(node.ConnectionString);
        }

        foreach (var argument in new[] { "--cluster-replicas", "0", "--cluster-yes" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{cli} did not start.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(CreateTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
                throw new TimeoutException($"redis-cli --cluster create did not finish within {CreateTimeout.TotalSeconds} s:{Environment.NewLine}{await output}{await errors}");
            }
        }

        var text = await output + await errors;
        if (process.ExitCode != 0 || !text.Contains("All 16384 slots covered", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"redis-cli --cluster create exited with {process.ExitCode.ToString(CultureInfo.InvariantCulture)}:{Environment.NewLine}{text}");
        }
    }

    // redis-cli returns once the nodes agree on the slots; each node says ok only after it has heard from all the others.
    private static async Task WaitUntilOkAsync(List<RedisServer> nodes, CancellationToken cancellationToken)
    {
        var expected = $"cluster_known_nodes:{nodes.Count.ToString(CultureInfo.InvariantCulture)}";
        var deadline = Stopwatch.StartNew();
        var replies = new string?[nodes.Count];
        while (true)
        {
            for (var i = 0; i < nodes.Count; i++)
            {
                replies[i] = await RedisProbe.ClusterInfoAsync(nodes[i].Port, cancellationToken);
            }

            if (replies.All(reply => reply is not null
                && reply.Contains("cluster_state:ok", StringComparison.Ordinal)
                && reply.Contains(expected, StringComparison.Ordinal)))
            {
                return;
            }

            if (deadline.Elapsed > ReadyTimeout)
            {
                var states = nodes.Select((node, i) => $"{node.ConnectionString}: {replies[i]?.ReplaceLineEndings(" ") ?? "no answer"}");
                throw new TimeoutException(
                    $"The cluster was not ok on every node within {ReadyTimeout.TotalSeconds} s:{Environment.NewLine}{string.Join(Environment.NewLine, states)}");
            }

            await Task.Delay(25, cancellationToken);
        }
    }
}
