using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using CallQueue.Api.Sandbox;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Storage;
using CallQueue.Tests.Support;

namespace CallQueue.Tests.Throttling;

/// <summary>
/// Three CallQueue processes on one redis-server drain a backlog against the sandbox, which holds every call open:
/// the sandbox's own log of request and hangup times must show that neither cap was ever exceeded.
/// </summary>
/// <remarks>
/// Each test is tried up to twice. The limiter spaces grants so that any six span at least 1.012 s on Redis' clock
/// (checked exactly by RedisCallCapacityRateTests), but the sandbox stamps a request when its handler runs, in one of five
/// processes sharing two cores: one scheduling stall over 12 ms in the wrong place squeezes one window. A broken limiter or
/// cap exceeds them on every run and still fails; the tightest window is printed.
/// </remarks>
[TestFixture]
[NonParallelizable]
public sealed class ClusterCapacityEndToEndTests
{
    private const int Calls = 200;
    private const int MaxConcurrent = 10;
    private const double RatePerSecond = 5;
    private const int WorkersPerProcess = 4;

    [Test]
    [Retry(2)]
    public async Task ThreeProcesses_Backlog_NeverExceedTheCapsAndKeepOrder()
    {
        var run = await RunAsync(killOneProcessAfter: null);

        Assert.Multiple(() =>
        {
            Assert.That(run.MaxConcurrent, Is.LessThanOrEqualTo(MaxConcurrent), "calls open at Plivo at once");
            Assert.That(run.MaxPerSecond, Is.LessThanOrEqualTo(RatePerSecond), "create-call requests in any one-second window");
            Assert.That(run.Doubled, Is.Empty, "nobody is rung twice");
            Assert.That(run.NotFinished, Is.Empty, "every call ends");
            Assert.That(run.MaxDisplacement, Is.LessThanOrEqualTo(3 * WorkersPerProcess), "FIFO within the priority, give or take the workers in flight");
        });
    }

    [Test]
    [Retry(2)]
    public async Task OneProcessKilledMidRun_SlotsComeBackAndNoCallIsLostOrDoubled()
    {
        var run = await RunAsync(killOneProcessAfter: TimeSpan.FromSeconds(8));

        Assert.Multiple(() =>
        {
            Assert.That(run.MaxConcurrent, Is.LessThanOrEqualTo(MaxConcurrent));
            Assert.That(run.MaxPerSecond, Is.LessThanOrEqualTo(RatePerSecond));
            Assert.That(run.Doubled, Is.Empty, "nobody is rung twice");
            Assert.That(run.NotFinished, Is.Empty, "no accepted call is lost");
            Assert.That(run.SlotsLeftAtEnd, Is.Zero, "every slot came back");
        });
    }

    private static async Task<RunResult> RunAsync(TimeSpan? killOneProcessAfter)
    {
        var prefix = "t" + Guid.NewGuid().ToString("N")[..12];
        var caps = new Dictionary<string, string?>
        {
            ["REDIS_URL"] = SharedRedis.Server.Url,
            ["REDIS_KEY_PREFIX"] = prefix,
            ["MAX_CONCURRENT_CALLS"] = MaxConcurrent.ToString(CultureInfo.InvariantCulture),
            ["RATE_LIMIT_PER_SECOND"] = RatePerSecond.ToString(CultureInfo.InvariantCulture),
            ["HANGFIRE_SERVER_TIMEOUT_SECONDS"] = "10",
        };

        // "Plivo" is a process of its own, like the real one: the sandbox stamps each request when it arrives, and this
        // process (the test runner's heap and threads) stays out of those stamps. It also receives the callbacks.
        await using var plivo = await CallQueueProcess.StartAsync(new Dictionary<string, string?>(caps)
        {
            ["QUEUE_WORKERS"] = "0",
            ["PLIVO_MODE"] = "sandbox",
            ["SANDBOX_RING_SECONDS"] = "0",
            ["SANDBOX_TALK_SECONDS"] = "2",
            ["SANDBOX_ANSWER_RATIO"] = "1", // every callee answers once: a second request to a number is a double dial
            ["SANDBOX_BUSY_RATIO"] = "0",
            ["SANDBOX_NO_ANSWER_RATIO"] = "0",
        });

        // Takes the batch and creates its dial jobs; dials nothing itself.
        await using var ingest = CallQueueApp.WithRedis(new Dictionary<string, string?>(caps) { ["QUEUE_WORKERS"] = "0" });
        var settings = new Dictionary<string, string?>(caps)
        {
            ["PLIVO_MODE"] = "sandbox",
            ["PLIVO_API_URL"] = plivo.BaseAddress + "sandbox/plivo",
            ["PUBLIC_BASE_URL"] = plivo.BaseAddress.ToString().TrimEnd('/'),
            ["QUEUE_WORKERS"] = WorkersPerProcess.ToString(CultureInfo.InvariantCulture),
            ["SCHEDULE_POLLING_SECONDS"] = "1",
        };

        // The backlog is in Redis before any dialer starts.
        var numbers = Enumerable.Range(0, Calls).Select(i => $"+1415556{i:D4}").ToList();
        var body = "{ \"batch_id\": \"cluster\", \"calls\": [" + string.Join(',', numbers.Select(n => $$"""
            { "phone_number": "{{n}}", "campaign_id": "cluster", "call_config": { "answer_url": "https://a.example/x" } }
            """)) + "] }";
        using (var client = ingest.Client())
        using (var content = new StringContent(body, Encoding.UTF8, "application/json"))
        using (var response = await client.PostAsync(new Uri("/api/calls/bulk-queue", UriKind.Relative), content))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        }

        var store = ingest.Service<ICallStore>();
        var ids = await store.GetBatchCallIdsAsync("cluster", CancellationToken.None);
        await WaitAsync(async () => (await store.GetManyAsync(ids, CancellationToken.None)).All(c => c.JobId is not null), TimeSpan.FromSeconds(60));

        var processes = new List<CallQueueProcess>();
        try
        {
            foreach (var _ in Enumerable.Range(0, 3))
            {
                processes.Add(await CallQueueProcess.StartAsync(settings));
            }

            if (killOneProcessAfter is { } delay)
            {
                await Task.Delay(delay);
                await processes[1].KillAsync();
            }

            await WaitAsync(
                async () => (await store.GetManyAsync(ids, CancellationToken.None)).All(c => c.Status.IsTerminal()),
                TimeSpan.FromMinutes(4));
        }
        finally
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }
        }

        using var sandboxLog = new HttpClient { BaseAddress = plivo.BaseAddress };
        var requests = (await sandboxLog.GetFromJsonAsync<List<SandboxRequestLogEntry>>("/sandbox/control/requests", SandboxJson.Options))!
            .Where(r => r.ResponseStatus == 201).ToList();
        var hangups = (await sandboxLog.GetFromJsonAsync<List<SandboxCallbackLogEntry>>("/sandbox/control/callbacks", SandboxJson.Options))!
            .Where(c => c.Event == "Hangup").ToDictionary(c => c.RequestUuid, c => c.SentAt);
        var calls = await store.GetManyAsync(ids, CancellationToken.None);
        var result = new RunResult(
            MaxConcurrent: MaxOverlap(requests.Select(r => (r.ReceivedAt, hangups.GetValueOrDefault(r.RequestUuid!, DateTimeOffset.MaxValue)))),
            MaxPerSecond: MaxInAnySecond(requests.Select(r => r.ReceivedAt).Order().ToList()),
            Doubled: requests.GroupBy(r => r.Fields["to"]).Where(g => g.Count() > 1).Select(g => g.Key).ToList(),
            NotFinished: calls.Where(c => !c.Status.IsTerminal()).Select(c => c.CallId).ToList(),
            MaxDisplacement: requests.OrderBy(r => r.ReceivedAt).Select((r, position) => Math.Abs(numbers.IndexOf(r.Fields["to"]) - position)).DefaultIfEmpty().Max(),
            SlotsLeftAtEnd: await ingest.Service<CallQueue.Jobs.Throttling.ICallCapacity>().CountSlotsAsync(CancellationToken.None));
        var arrivals = requests.Select(r => r.ReceivedAt).Order().ToList();
        var span = arrivals[^1] - arrivals[0];
        var rate = (int)RatePerSecond;
        var tightest = Enumerable.Range(0, Math.Max(0, arrivals.Count - rate)).Select(i => arrivals[i + rate] - arrivals[i]).DefaultIfEmpty().Min();
        await TestContext.Out.WriteLineAsync(
            $"{requests.Count} calls placed in {span.TotalSeconds:0.0} s: achieved {(requests.Count - 1) / span.TotalSeconds:0.000}/s of {RatePerSecond}/s; "
            + $"max concurrent {result.MaxConcurrent} of {MaxConcurrent}; max in any second {result.MaxPerSecond} "
            + $"(tightest {rate + 1} requests span {tightest.TotalMilliseconds:0.0} ms); max displacement {result.MaxDisplacement}; "
            + $"outcomes: {string.Join(", ", calls.GroupBy(c => c.Status).Select(g => $"{g.Key} {g.Count()}"))}");
        return result;
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

    private static int MaxInAnySecond(List<DateTimeOffset> times)
    {
        int max = 0, start = 0;
        for (var end = 0; end < times.Count; end++)
        {
            while (times[end] - times[start] >= TimeSpan.FromSeconds(1))
            {
                start++;
            }

            max = Math.Max(max, end - start + 1);
        }

        return max;
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Condition not met within {timeout}.");
            }

            await Task.Delay(500);
        }
    }

    private sealed record RunResult(int MaxConcurrent, int MaxPerSecond, List<string> Doubled, List<string> NotFinished, int MaxDisplacement, long SlotsLeftAtEnd);
}
