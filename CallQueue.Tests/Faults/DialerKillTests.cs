using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using CallQueue.Api.Sandbox;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Storage;
using CallQueue.Tests.Support;

namespace CallQueue.Tests.Faults;

/// <summary>
/// kill -9 of dialer processes, again and again, while three of them drain a rate-bound backlog: nothing accepted is
/// lost, nobody is rung twice, and a call ends <c>unknown</c> only if its request really reached Plivo (a claim whose
/// request never left is given back and dialed by the re-run).
/// </summary>
[TestFixture]
[Category("Faults")]
[NonParallelizable]
public sealed class DialerKillTests
{
    private const int Calls = 150;
    private const int Kills = 10;

    // Tried up to three times: the worker records "sending" right before the request leaves, so a kill that lands in the short
    // moment between that mark and the socket write (milliseconds on a starved machine) leaves a call that is rightly
    // unknown (its request may have gone) although the sandbox never saw it. Marking too early, or not giving back an
    // unsent claim, leaves several such calls in every run and still fails.
    [Test]
    [Retry(3)]
    public async Task TenKillsDuringABacklog_NothingLostNobodyRungTwiceNoUnknownNeverSent()
    {
        var prefix = "t" + Guid.NewGuid().ToString("N")[..12];
        var shared = new Dictionary<string, string?>
        {
            ["REDIS_URL"] = SharedRedis.Server.Url,
            ["REDIS_KEY_PREFIX"] = prefix,
            ["MAX_CONCURRENT_CALLS"] = "20",
            ["RATE_LIMIT_PER_SECOND"] = "10",
            ["HANGFIRE_SERVER_TIMEOUT_SECONDS"] = "10",
            ["RECONCILE_GRACE_SECONDS"] = "5", // a call adopted from Plivo's records is settled by the next reconciler run
        };
        await using var plivo = await CallQueueProcess.StartAsync(new Dictionary<string, string?>(shared)
        {
            ["QUEUE_WORKERS"] = "0",
            ["PLIVO_MODE"] = "sandbox",
            ["SANDBOX_RING_SECONDS"] = "0",
            ["SANDBOX_TALK_SECONDS"] = "1",
            ["SANDBOX_ANSWER_RATIO"] = "1", // every callee answers at once: a second request to a number is a double ring
            ["SANDBOX_BUSY_RATIO"] = "0",
            ["SANDBOX_NO_ANSWER_RATIO"] = "0",
        });
        await using var ingest = CallQueueApp.WithRedis(new Dictionary<string, string?>(shared) { ["QUEUE_WORKERS"] = "0" });
        var dialer = new Dictionary<string, string?>(shared)
        {
            ["PLIVO_MODE"] = "sandbox",
            ["PLIVO_API_URL"] = plivo.BaseAddress + "sandbox/plivo",
            ["PUBLIC_BASE_URL"] = plivo.BaseAddress.ToString().TrimEnd('/'),
            ["QUEUE_WORKERS"] = "6",
            ["SCHEDULE_POLLING_SECONDS"] = "1",
        };

        var numbers = Enumerable.Range(0, Calls).Select(i => $"+1415557{i:D4}").ToList();
        var body = "{ \"batch_id\": \"kills\", \"calls\": [" + string.Join(',', numbers.Select(n => $$"""
            { "phone_number": "{{n}}", "campaign_id": "kills", "call_config": { "answer_url": "https://a.example/x", "ring_timeout": 5 } }
            """)) + "] }";
        using (var client = ingest.Client())
        using (var content = new StringContent(body, Encoding.UTF8, "application/json"))
        using (var response = await client.PostAsync(new Uri("/api/calls/bulk-queue", UriKind.Relative), content))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        }

        var store = ingest.Service<ICallStore>();
        var ids = await store.GetBatchCallIdsAsync("kills", CancellationToken.None);
        var processes = new List<CallQueueProcess>();
        var random = new Random(16);
        try
        {
            for (var i = 0; i < 3; i++)
            {
                processes.Add(await CallQueueProcess.StartAsync(dialer));
            }

            for (var kill = 0; kill < Kills; kill++)
            {
                // Kill only while there is work in flight, at a moment the dialers do not choose.
                await Task.Delay(TimeSpan.FromMilliseconds(700 + random.Next(1_000)));
                var victim = random.Next(processes.Count);
                await processes[victim].KillAsync();
                await processes[victim].DisposeAsync();
                processes[victim] = await CallQueueProcess.StartAsync(dialer);
            }

            // Every call ends, except one whose job a killed process had fetched but not yet started: Hangfire's Redis
            // storage re-runs such a job only after its InvisibilityTimeout (30 min; hangfire-notes, "Fetch and
            // acknowledge path": the job is still Enqueued, so no dead ServerId marks it). Such a call is parked, not
            // lost: queued, never dialed, its job in Redis. The wait ends when only parked calls are left for 2 minutes.
            var lastKill = DateTime.UtcNow;
            await WaitAsync(
                async () =>
                {
                    var open = (await store.GetManyAsync(ids, CancellationToken.None)).Where(c => !c.Status.IsTerminal()).ToList();
                    return open.Count == 0 || (open.All(IsParked) && DateTime.UtcNow - lastKill > TimeSpan.FromMinutes(2.5));
                },
                TimeSpan.FromMinutes(6),
                async () => string.Join('\n', (await store.GetManyAsync(ids, CancellationToken.None)).Where(c => !c.Status.IsTerminal())
                    .Select(c => $"{c.CallId} {c.Status} job {c.JobId}: {c.StatusReason}; attempt {System.Text.Json.JsonSerializer.Serialize(c.LastAttempt, CallQueueApp.Json)}")));
        }
        finally
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }
        }

        using var sandboxLog = new HttpClient { BaseAddress = plivo.BaseAddress };
        var requests = (await sandboxLog.GetFromJsonAsync<List<SandboxRequestLogEntry>>("/sandbox/control/requests", SandboxJson.Options))!;
        var placed = requests.Where(r => r.ResponseStatus == 201).GroupBy(r => r.Fields["to"]).ToDictionary(g => g.Key, g => g.Count());
        var calls = await store.GetManyAsync(ids, CancellationToken.None);
        var unknown = calls.Where(c => c.Status == CallStatus.Unknown).ToList();
        var unknownNeverSent = unknown.Where(c => !requests.Any(r => r.Fields["to"] == c.PhoneNumber)).Select(c => c.CallId).ToList();
        var doubled = placed.Where(p => p.Value > 1).Select(p => p.Key).ToList();
        var parked = calls.Where(c => !c.Status.IsTerminal() && IsParked(c)).Select(c => c.CallId).ToList();
        var notFinished = calls.Where(c => !c.Status.IsTerminal() && !IsParked(c)).Select(c => c.CallId).ToList();
        await TestContext.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{Kills} kills during {Calls} calls: lost = {Calls - calls.Count + notFinished.Count}, parked in Hangfire's fetch hole = {parked.Count}, double rings = {doubled.Count}, "
            + $"unknown = {unknown.Count} (never sent: {unknownNeverSent.Count}); outcomes: {string.Join(", ", calls.GroupBy(c => c.Status).Select(g => $"{g.Key} {g.Count()}"))}"));
        foreach (var call in unknown)
        {
            await TestContext.Out.WriteLineAsync($"unknown {call.CallId}: {call.StatusReason}; attempt {System.Text.Json.JsonSerializer.Serialize(call.LastAttempt, CallQueueApp.Json)}");
        }

        Assert.Multiple(() =>
        {
            Assert.That(calls, Has.Count.EqualTo(Calls), "no accepted call is lost");
            Assert.That(notFinished, Is.Empty, "every call ends (or waits, never dialed, for Hangfire to re-run its job)");
            Assert.That(doubled, Is.Empty, "nobody is rung twice");
            Assert.That(unknownNeverSent, Is.Empty, "no call is left unknown whose request never reached Plivo");
            Assert.That(unknown.Where(c => c.LastAttempt?.SentAt is null).Select(c => c.CallId), Is.Empty, "unknown only after the request was on its way");
        });
    }

    /// <summary>Queued with its dial job, never claimed: what a kill between Hangfire's fetch and the job's start leaves.</summary>
    private static bool IsParked(CallRecord call) => call is { Status: CallStatus.Queued, JobId: not null, Attempts.Count: 0 };

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<Task<string>> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Not every call ended within {timeout}:\n{await describe()}");
            }

            await Task.Delay(500);
        }
    }
}
