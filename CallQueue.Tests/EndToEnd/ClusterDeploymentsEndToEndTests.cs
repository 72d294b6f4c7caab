using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CallQueue.Api.Sandbox;
using CallQueue.Jobs.Calls;
using CallQueue.Tests.Infrastructure;
using CallQueue.Tests.Support;

namespace CallQueue.Tests.EndToEnd;

/// <summary>
/// Issue 15, the way past one Redis (docs/scaling.md): several deployments on one Redis Cluster. Three CallQueue
/// processes, each a deployment of its own with its own REDIS_KEY_PREFIX, chosen so that the three prefixes' hash slots
/// are served by the three different nodes of a real local cluster; all three are given the same REDIS_URL (the first
/// node). Each deployment is sent calls of the same campaign id: each dials exactly its own calls (its built-in sandbox
/// sees only its numbers), finds only its own, and every key it wrote is on its own node, in its one slot.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class ClusterDeploymentsEndToEndTests
{
    // The same campaign id in every deployment: a campaign lives in one deployment, and ids are not shared between them.
    private const string Campaign = "renewals";
    private const int CallsPerDeployment = 4;
    private static readonly TimeSpan CallsTimeout = TimeSpan.FromSeconds(40);

    [Test]
    public async Task ThreeDeployments_OnePerNode_DialOnlyTheirOwnCallsAndKeepEveryKeyOnTheirNode()
    {
        await using var cluster = await RedisCluster.StartNewAsync();
        var prefixes = cluster.Nodes.Select((node, i) => cluster.KeyPrefixServedBy(node, "tenant" + (char)('a' + i))).ToList();
        var starts = prefixes.Select(prefix => CallQueueProcess.StartAsync(Settings(cluster, prefix))).ToList();
        try
        {
            await Task.WhenAll(starts);
            var deployments = new List<Deployment>();
            for (var d = 0; d < starts.Count; d++)
            {
                deployments.Add(new Deployment(prefixes[d], cluster.Nodes[d], await starts[d], Numbers(d)));
            }

            foreach (var deployment in deployments)
            {
                deployment.CallIds.AddRange(await QueueAsync(deployment));
            }

            foreach (var deployment in deployments)
            {
                await WaitUntilAllEndedAsync(deployment);
            }

            var everyCallId = deployments.SelectMany(deployment => deployment.CallIds).ToList();
            foreach (var deployment in deployments)
            {
                await CheckAsync(cluster, deployment, everyCallId);
            }
        }
        finally
        {
            foreach (var start in starts.Where(start => start.IsCompletedSuccessfully))
            {
                await (await start).DisposeAsync();
            }
        }
    }

    private static Dictionary<string, string?> Settings(RedisCluster cluster, string prefix) => new()
    {
        ["REDIS_URL"] = cluster.Url,
        ["REDIS_KEY_PREFIX"] = prefix,
        ["QUEUE_WORKERS"] = "2",
        ["MAX_CONCURRENT_CALLS"] = "10",
        ["RATE_LIMIT_PER_SECOND"] = "50",
        ["SCHEDULE_POLLING_SECONDS"] = "1",
        ["PLIVO_MODE"] = "sandbox",
        ["SANDBOX_RING_SECONDS"] = "0",
        ["SANDBOX_TALK_SECONDS"] = "0",
        ["SANDBOX_ANSWER_RATIO"] = "1",
        ["SANDBOX_BUSY_RATIO"] = "0",
        ["SANDBOX_NO_ANSWER_RATIO"] = "0",
    };

    // Deployment d calls +1 415 558 d0xx: no number is queued in two deployments.
    private static List<string> Numbers(int deployment) =>
        [.. Enumerable.Range(0, CallsPerDeployment).Select(i => string.Create(CultureInfo.InvariantCulture, $"+1415558{deployment}{i:D3}"))];

    // The first number alone (POST /api/calls/queue), the others as one bulk batch.
    private static async Task<List<string>> QueueAsync(Deployment deployment)
    {
        using var client = Client(deployment);
        var ids = new List<string>();
        using (var single = await client.PostAsync(new Uri("/api/calls/queue", UriKind.Relative), Json(CallJson(deployment.Numbers[0]))))
        {
            var body = await single.Content.ReadFromJsonAsync<JsonElement>();
            Assert.That(single.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), $"{deployment.Prefix}: {body}");
            ids.Add(body.GetProperty("call_id").GetString()!);
        }

        var batch = "{ \"calls\": [" + string.Join(',', deployment.Numbers.Skip(1).Select(CallJson)) + "] }";
        using (var bulk = await client.PostAsync(new Uri("/api/calls/bulk-queue", UriKind.Relative), Json(batch)))
        {
            var body = await bulk.Content.ReadFromJsonAsync<JsonElement>();
            Assert.That(bulk.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), $"{deployment.Prefix}: {body}");
            ids.AddRange(body.GetProperty("results").EnumerateArray().Select(result => result.GetProperty("call_id").GetString()!));
        }

        return ids;
    }

    private static async Task WaitUntilAllEndedAsync(Deployment deployment)
    {
        using var client = Client(deployment);
        var deadline = DateTime.UtcNow + CallsTimeout;
        foreach (var callId in deployment.CallIds)
        {
            CallRecord? call = null;
            while (DateTime.UtcNow < deadline)
            {
                call = await client.GetFromJsonAsync<CallRecord>($"/api/calls/{callId}", CallQueueApp.Json);
                if (call is not null && call.Status.IsTerminal())
                {
                    break;
                }

                await Task.Delay(100);
            }

            Assert.That(call?.Status, Is.EqualTo(CallStatus.Completed), $"{deployment.Prefix}: call {callId} ({call?.StatusReason})");
        }
    }

    private static async Task CheckAsync(RedisCluster cluster, Deployment deployment, List<string> everyCallId)
    {
        using var client = Client(deployment);
        var placed = (await client.GetFromJsonAsync<List<SandboxRequestLogEntry>>("/sandbox/control/requests", SandboxJson.Options))!
            .Where(request => request.ResponseStatus == 201)
            .Select(request => request.Fields["to"])
            .ToList();
        using var listed = await client.GetAsync(new Uri($"/api/campaigns/{Campaign}/calls?limit=100", UriKind.Relative));
        var listedIds = (await listed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("calls").EnumerateArray()
            .Select(call => call.GetProperty("call_id").GetString())
            .ToList();
        var foreign = new List<string>();
        foreach (var callId in everyCallId.Except(deployment.CallIds))
        {
            using var response = await client.GetAsync(new Uri($"/api/calls/{callId}", UriKind.Relative));
            if (response.StatusCode != HttpStatusCode.NotFound)
            {
                foreign.Add($"{callId}: {(int)response.StatusCode}");
            }
        }

        var tag = "{" + deployment.Prefix + "}";
        var slot = cluster.Client.HashSlot(tag);
        var keys = new List<string>();
        var server = cluster.Client.GetServer(deployment.Node.ConnectionString);
        await foreach (var key in server.KeysAsync(pattern: "*", pageSize: 1000))
        {
            keys.Add(key.ToString());
        }

        var size = await server.DatabaseSizeAsync();
        await TestContext.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{deployment.Prefix}: slot {slot} on {deployment.Node.ConnectionString}; {placed.Count} calls placed at its sandbox; {keys.Count} keys on the node (DBSIZE {size})"));
        Assert.Multiple(() =>
        {
            Assert.That(cluster.NodeServing(deployment.Prefix), Is.SameAs(deployment.Node), "the prefix's slot is served by its own node");
            Assert.That(placed, Is.EquivalentTo(deployment.Numbers), $"{deployment.Prefix} dialed each of its numbers once and nobody else's");
            Assert.That(listedIds, Is.EquivalentTo(deployment.CallIds), $"{deployment.Prefix} lists only its own calls of campaign {Campaign}");
            Assert.That(foreign, Is.Empty, $"{deployment.Prefix} finds no other deployment's call");
            Assert.That(keys, Has.Some.StartsWith(tag + ":call:"), $"{deployment.Prefix}'s call records on its node");
            Assert.That(keys, Has.Some.StartsWith(tag + ":hangfire:"), $"{deployment.Prefix}'s Hangfire jobs on its node");
            Assert.That(keys.Where(key => !key.StartsWith(tag + ":", StringComparison.Ordinal)), Is.Empty, $"every key on {deployment.Node.ConnectionString} is {deployment.Prefix}'s");
            Assert.That(keys.Select(key => cluster.Client.HashSlot(key)).Distinct(), Is.EqualTo(new[] { slot }), $"{deployment.Prefix}'s keys are all in one slot");
        });
    }

    private static string CallJson(string number) => $$"""
        { "phone_number": "{{number}}", "campaign_id": "{{Campaign}}", "max_retries": 0, "call_config": { "answer_url": "https://agent.example.com/answer" } }
        """;

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static HttpClient Client(Deployment deployment) => new() { BaseAddress = deployment.Process.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    private sealed record Deployment(string Prefix, RedisServer Node, CallQueueProcess Process, List<string> Numbers)
    {
        public List<string> CallIds { get; } = [];
    }
}
