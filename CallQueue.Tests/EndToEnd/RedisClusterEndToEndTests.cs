using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CallQueue.Api.Sandbox;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Throttling;
using CallQueue.Tests.Infrastructure;
using CallQueue.Tests.Support;
using StackExchange.Redis;

namespace CallQueue.Tests.EndToEnd;

/// <summary>
/// The whole service on a real three-node Redis Cluster: REDIS_URL names one node, and REDIS_KEY_PREFIX is chosen so that
/// another node serves its slot, so call records, Hangfire's jobs and the capacity keys are reached only by following
/// the cluster. Calls are dialed through the built-in Plivo sandbox, as in <see cref="DialingEndToEndTests"/>.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class RedisClusterEndToEndTests
{
    private const int MaxConcurrent = 2;

    private RedisCluster _cluster = null!;

    [OneTimeSetUp]
    public async Task StartClusterAsync() => _cluster = await RedisCluster.StartNewAsync();

    [OneTimeTearDown]
    public async Task StopClusterAsync() => await _cluster.DisposeAsync();

    [Test]
    public async Task QueueAndBulkQueue_OnACluster_AreDialedCompletedListedAndIdempotent()
    {
        var prefix = _cluster.NewKeyPrefix();
        await using var app = StartApp(prefix);
        var campaign = "cluster-" + Guid.NewGuid().ToString("N")[..8];
        var single = CallJson(campaign, "+14155550101");
        var bulk = $$"""{ "calls": [ {{CallJson(campaign, "+14155550102")}}, {{CallJson(campaign, "+14155550103")}}, {{CallJson(campaign, "+14155550104")}} ] }""";
        var singleKey = Guid.NewGuid().ToString("N");
        var bulkKey = Guid.NewGuid().ToString("N");

        var (queuedStatus, queued) = await PostAsync(app, "/api/calls/queue", single, singleKey);
        var (bulkStatus, batch) = await PostAsync(app, "/api/calls/bulk-queue", bulk, bulkKey);
        Assert.That(queuedStatus, Is.EqualTo(HttpStatusCode.Accepted), queued.ToString());
        Assert.That(bulkStatus, Is.EqualTo(HttpStatusCode.Accepted), batch.ToString());
        var callId = queued.GetProperty("call_id").GetString()!;
        var batchId = batch.GetProperty("batch_id").GetString()!;
        var batchCallIds = batch.GetProperty("results").EnumerateArray().Select(result => result.GetProperty("call_id").GetString()!).ToList();
        var calls = new List<CallRecord>();
        foreach (var id in batchCallIds.Prepend(callId))
        {
            calls.Add(await app.WaitForCallAsync(id, call => call.Status.IsTerminal(), TimeSpan.FromSeconds(60)));
        }

        var (requeuedStatus, requeued) = await PostAsync(app, "/api/calls/queue", single, singleKey);
        var (rebulkStatus, rebatch) = await PostAsync(app, "/api/calls/bulk-queue", bulk, bulkKey);
        var batchStatus = await GetAsync(app, $"/api/batches/{batchId}");
        var listed = await GetAsync(app, $"/api/campaigns/{campaign}/calls?limit=100");
        var requests = app.Service<PlivoSandbox>().GetRequests().Where(request => request.ResponseStatus == 201).ToList();
        var ownerKeys = await KeysAsync(_cluster.NodeServing(prefix), prefix);

        Assert.Multiple(() =>
        {
            Assert.That(_cluster.NodeServing(prefix), Is.Not.SameAs(_cluster.Nodes[0]), "REDIS_URL names a node that does not serve the prefix's slot");
            Assert.That(batch.GetProperty("queued").GetInt32(), Is.EqualTo(3));
            Assert.That(calls.Select(call => call.Status), Is.All.EqualTo(CallStatus.Completed), string.Join("; ", calls.Select(call => call.StatusReason)));
            Assert.That(calls.Select(call => call.LastAttempt?.RequestUuid), Is.EquivalentTo(requests.Select(request => request.RequestUuid)), "each call dialed once through the sandbox");
            Assert.That(calls.Skip(1).Select(call => call.BatchId), Is.All.EqualTo(batchId));
            Assert.That(requeuedStatus, Is.EqualTo(HttpStatusCode.OK), "the same Idempotency-Key finds the call");
            Assert.That(requeued.GetProperty("call_id").GetString(), Is.EqualTo(callId));
            Assert.That(requeued.GetProperty("duplicate").GetBoolean(), Is.True);
            Assert.That(rebulkStatus, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(rebatch.GetProperty("duplicates").GetInt32(), Is.EqualTo(3), "the same Idempotency-Key finds the batch");
            Assert.That(
                rebatch.GetProperty("results").EnumerateArray().Select(result => result.GetProperty("call_id").GetString()),
                Is.EqualTo(batchCallIds));
            Assert.That(batchStatus.GetProperty("total").GetInt32(), Is.EqualTo(3));
            Assert.That(batchStatus.GetProperty("finished").GetInt32(), Is.EqualTo(3));
            Assert.That(batchStatus.GetProperty("counts").GetProperty("completed").GetInt32(), Is.EqualTo(3));
            Assert.That(
                listed.GetProperty("calls").EnumerateArray().Select(call => call.GetProperty("call_id").GetString()),
                Is.EquivalentTo(batchCallIds.Prepend(callId)));
            Assert.That(ownerKeys, Has.Some.StartsWith("{" + prefix + "}:call:"), "call records on the slot's node");
            Assert.That(ownerKeys, Has.Some.StartsWith("{" + prefix + "}:hangfire:"), "Hangfire's jobs on the slot's node");
        });
    }

    [Test]
    public async Task BulkQueue_OnACluster_NeverExceedsMaxConcurrentCallsAndReleasesEverySlot()
    {
        await using var app = StartApp(_cluster.NewKeyPrefix());
        var campaign = "cluster-" + Guid.NewGuid().ToString("N")[..8];
        var numbers = Enumerable.Range(0, 6).Select(i => $"+1415555020{i}").ToList();
        var body = "{ \"calls\": [" + string.Join(',', numbers.Select(number => CallJson(campaign, number))) + "] }";
        var capacity = app.Service<ICallCapacity>();

        var (status, batch) = await PostAsync(app, "/api/calls/bulk-queue", body, idempotencyKey: null);
        Assert.That(status, Is.EqualTo(HttpStatusCode.Accepted), batch.ToString());
        var callIds = batch.GetProperty("results").EnumerateArray().Select(result => result.GetProperty("call_id").GetString()!).ToList();
        var mostSlotsHeld = 0L;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await AllTerminalAsync(app, callIds) && DateTime.UtcNow < deadline)
        {
            mostSlotsHeld = Math.Max(mostSlotsHeld, await capacity.CountSlotsAsync(CancellationToken.None));
            await Task.Delay(20);
        }

        var sandbox = app.Service<PlivoSandbox>();
        var placed = sandbox.GetRequests().Where(request => request.ResponseStatus == 201).ToList();
        var hangups = sandbox.GetCallbacks().Where(callback => callback.Event == "Hangup").ToDictionary(callback => callback.RequestUuid, callback => callback.SentAt);
        var mostOpenAtPlivo = MaxOverlap(placed.Select(request => (request.ReceivedAt, hangups.GetValueOrDefault(request.RequestUuid!, DateTimeOffset.MaxValue))));
        await TestContext.Out.WriteLineAsync($"most slots held {mostSlotsHeld}, most calls open at Plivo {mostOpenAtPlivo}, of {MaxConcurrent}");
        Assert.Multiple(() =>
        {
            Assert.That(placed.Select(request => request.Fields["to"]), Is.EquivalentTo(numbers), "every call dialed once");
            Assert.That(mostSlotsHeld, Is.InRange(1, MaxConcurrent), "slots were taken, never more than MAX_CONCURRENT_CALLS");
            Assert.That(mostOpenAtPlivo, Is.InRange(1, MaxConcurrent), "calls open at Plivo at once");
        });
        Assert.That(async () => await capacity.CountSlotsAsync(CancellationToken.None), Is.Zero.After(10_000, 50), "every slot released");
    }

    private CallQueueApp StartApp(string keyPrefix) => CallQueueApp.WithRedis(
        new Dictionary<string, string?>
        {
            ["REDIS_KEY_PREFIX"] = keyPrefix,
            ["MAX_CONCURRENT_CALLS"] = MaxConcurrent.ToString(System.Globalization.CultureInfo.InvariantCulture),
        },
        redisUrl: _cluster.Url);

    private static string CallJson(string campaign, string number) => $$"""
        { "phone_number": "{{number}}", "campaign_id": "{{campaign}}", "max_retries": 0, "call_config": { "answer_url": "https://agent.example.com/answer" } }
        """;

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(CallQueueApp app, string path, string body, string? idempotencyKey)
    {
        using var client = app.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static async Task<JsonElement> GetAsync(CallQueueApp app, string path)
    {
        using var client = app.Client();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"GET {path}: {body}");
        return body;
    }

    private static async Task<bool> AllTerminalAsync(CallQueueApp app, List<string> callIds)
    {
        var calls = await app.Service<CallQueue.Jobs.Storage.ICallStore>().GetManyAsync(callIds, CancellationToken.None);
        return calls.Count == callIds.Count && calls.All(call => call.Status.IsTerminal());
    }

    private async Task<List<string>> KeysAsync(RedisServer node, string prefix)
    {
        var keys = new List<string>();
        await foreach (var key in _cluster.Client.GetServer(node.ConnectionString).KeysAsync(pattern: "{" + prefix + "}*"))
        {
            keys.Add(key.ToString());
        }

        return keys;
    }

    private static int MaxOverlap(IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> intervals)
    {
        var events = intervals.SelectMany(i => new[] { (i.Start, +1), (i.End, -1) }).OrderBy(e => e.Item1).ThenBy(e => e.Item2).ToList();
        int open = 0, max = 0;
        foreach (var (_, delta) in events)
        {
            open += delta;
            max = Math.Max(max, open);
        }

        return max;
    }
}
