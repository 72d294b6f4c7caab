using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using CallQueue.Tests.Api;
using CallQueue.Tests.Infrastructure;
using CallQueue.Tests.Support;

namespace CallQueue.Tests.Faults;

/// <summary>
/// redis-server (append-only file on) killed with SIGKILL under a steady single-enqueue load, then started again on its
/// data: every call answered 202 is there afterwards, requests caught by the crash are answered 503 (never 500), a 503
/// leaves nothing queued, and the service recovers without a restart.
/// </summary>
[TestFixture]
[Category("Faults")]
[NonParallelizable]
public sealed class RedisCrashTests
{
    private const int Clients = 8;

    [Test]
    public async Task RedisKilledUnderEnqueueLoad_Every202dCallSurvivesAndA503QueuesNothing()
    {
        await using var redis = await RedisServer.StartNewAsync(appendOnly: true);
        await using var app = CallQueueApp.WithRedis(new Dictionary<string, string?> { ["QUEUE_WORKERS"] = "0" }, redis.Url);
        var answers = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var phase = 0; // 0 before the crash, 1 while Redis is down, 2 after it came back
        var afterRecovery = 0;
        using var stop = new CancellationTokenSource();

        var load = Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            using var http = app.Client();
            http.Timeout = TimeSpan.FromSeconds(30);
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var callId = $"crash-{client}-{i}";
                var body = QueueCallApiTests.ValidCall("+14155550123", extra: $"\"custom_call_id\": \"{callId}\"");
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = await http.PostAsync(new Uri("/api/calls/queue", UriKind.Relative), content);
                answers[callId] = (int)response.StatusCode;
                if (Volatile.Read(ref phase) == 2 && response.StatusCode == HttpStatusCode.Accepted)
                {
                    Interlocked.Increment(ref afterRecovery);
                }
            }
        })).ToList();

        await WaitUntilAsync(() => answers.Count(a => a.Value == 202) >= 200, "the load is running");
        await redis.CrashAsync();
        Volatile.Write(ref phase, 1);
        var downAt = Stopwatch.StartNew();
        await WaitUntilAsync(() => answers.Values.Count(status => status == 503) >= 20 || downAt.Elapsed > TimeSpan.FromSeconds(5), "requests meet the outage");
        await redis.RecoverAsync();
        Volatile.Write(ref phase, 2);
        await WaitUntilAsync(() => Volatile.Read(ref afterRecovery) >= 200, "the service recovers without a restart", TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await Task.WhenAll(load);

        var accepted = answers.Where(a => a.Value == 202).Select(a => a.Key).ToList();
        var refused = answers.Where(a => a.Value == 503).Select(a => a.Key).ToList();
        var other = answers.Where(a => a.Value is not (202 or 503)).ToList();
        using var client = app.Client();

        // A refused request's write may have landed before the crash cut its answer: it is taken back once Redis is up.
        var storedRefused = refused;
        await WaitUntilAsync(
            () =>
            {
                storedRefused = refused.Where(id => Exists(client, id)).ToList();
                return storedRefused.Count == 0;
            },
            "every call answered 503 is absent",
            TimeSpan.FromSeconds(30));
        var lost = accepted.Where(id => !Exists(client, id)).ToList();

        await TestContext.Out.WriteLineAsync(
            $"{answers.Count} requests: {accepted.Count} answered 202, {refused.Count} answered 503, {other.Count} other; "
            + $"202'd calls lost = {lost.Count}; 503'd calls stored = {storedRefused.Count}; 202s after recovery = {afterRecovery}");
        Assert.Multiple(() =>
        {
            Assert.That(other, Is.Empty, "only 202 or 503: never a 500");
            Assert.That(refused, Is.Not.Empty, "some requests met the outage");
            Assert.That(lost, Is.Empty, "no call answered 202 is lost");
            Assert.That(storedRefused, Is.Empty, "a 503 queued nothing");
        });
    }

    private static bool Exists(HttpClient client, string callId)
    {
        using var response = client.GetAsync(new Uri($"/api/calls/{callId}", UriKind.Relative)).GetAwaiter().GetResult();
        return response.StatusCode == HttpStatusCode.OK
            ? true
            : response.StatusCode == HttpStatusCode.NotFound ? false : throw new InvalidOperationException($"GET {callId}: {(int)response.StatusCode}");
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > (timeout ?? TimeSpan.FromSeconds(30)))
            {
                Assert.Fail($"Timed out waiting until {what}.");
            }

            await Task.Delay(50);
        }
    }
}
