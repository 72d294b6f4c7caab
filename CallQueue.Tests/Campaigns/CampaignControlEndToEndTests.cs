using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CallQueue.Api.Sandbox;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Campaigns;
using CallQueue.Jobs.Storage;
using CallQueue.Tests.Support;

namespace CallQueue.Tests.Campaigns;

/// <summary>
/// Pause, resume and cancel of campaigns end to end (issue 12): two dialer processes on one redis-server drain a backlog
/// against the sandbox (a process of its own, which logs every create-call request); the operator's commands go through
/// the HTTP API of a third process.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class CampaignControlEndToEndTests
{
    private const int WorkersPerProcess = 2;

    [Test]
    public async Task PauseDuringABacklog_NothingDialsForItUntilResume_OthersKeepDialing_StateSurvivesRestarts_ResumeKeepsOrder()
    {
        await using var run = await Run.StartAsync(ratePerSecond: 8, maxConcurrent: 50, talkSeconds: 1);
        var paused = await run.QueueAsync("pausing", count: 40, numberBase: 1000);
        var other = await run.QueueAsync("other", count: 30, numberBase: 3000);
        await run.StartDialersAsync();

        // During the backlog: a few of the campaign's calls are placed, then the operator pauses it.
        await Run.WaitAsync(async () => (await run.RequestsToAsync(paused)).Count >= 3, TimeSpan.FromSeconds(60));
        using (var pause = await run.PostAsync("/api/campaigns/pausing/pause"))
        {
            Assert.That(pause.StatusCode, Is.EqualTo(HttpStatusCode.OK), await pause.Content.ReadAsStringAsync());
            using var body = JsonDocument.Parse(await pause.Content.ReadAsStringAsync());
            Assert.That(body.RootElement.GetProperty("state").GetString(), Is.EqualTo("paused"));
        }

        var pausedAt = DateTimeOffset.UtcNow;
        using (var again = await run.PostAsync("/api/campaigns/pausing/pause"))
        {
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(await again.Content.ReadAsStringAsync(), Does.Contain("\"state\":\"paused\""));
        }

        // The other campaign drains; the paused one gets no request later than a second after the pause.
        await Run.WaitAsync(async () => (await run.CallsAsync(other)).All(call => call.Status.IsTerminal()), TimeSpan.FromMinutes(2));
        var placedBeforePause = (await run.RequestsToAsync(paused)).Count;
        Assert.That((await run.RequestsToAsync(paused)).Where(r => r.ReceivedAt > pausedAt.AddSeconds(1)), Is.Empty, "no create-call request for a paused campaign");
        Assert.That(placedBeforePause, Is.LessThan(40), "the pause came during the backlog");

        // Its waiting calls keep their status and place, say why, and used no attempt; their jobs are parked.
        await Run.WaitAsync(
            async () => (await run.CallsAsync(paused)).Where(call => call.Attempts.Count == 0).All(call => call.StatusReason == "Campaign pausing paused"),
            TimeSpan.FromSeconds(60));
        var waiting = (await run.CallsAsync(paused)).Where(call => call.Attempts.Count == 0).ToList();
        await Run.WaitAsync(async () => await run.ParkedAsync("pausing") == waiting.Count, TimeSpan.FromSeconds(60));
        Assert.That(waiting.Select(call => call.Status), Is.All.EqualTo(CallStatus.Queued));

        // Every process restarts: the state stays, nothing dials.
        await run.RestartDialersAsync();
        using (var state = await run.GetAsync("/api/campaigns/pausing"))
        {
            using var body = JsonDocument.Parse(await state.Content.ReadAsStringAsync());
            Assert.That(body.RootElement.GetProperty("state").GetString(), Is.EqualTo("paused"));
        }

        // A new call to the paused campaign is accepted and waits.
        var late = await run.QueueAsync("pausing", count: 1, numberBase: 1900, batch: "pausing-late");
        await Run.WaitAsync(async () => await run.ParkedAsync("pausing") == waiting.Count + 1, TimeSpan.FromSeconds(60));
        Assert.That((await run.CallsAsync(late)).Single().StatusReason, Is.EqualTo("Campaign pausing paused"));
        Assert.That((await run.RequestsToAsync(paused)).Count, Is.EqualTo(placedBeforePause), "still nothing dialed after the restart");

        // Resume: the rest dial, in their order.
        var resumedAt = DateTimeOffset.UtcNow;
        using (var resume = await run.PostAsync("/api/campaigns/pausing/resume"))
        {
            Assert.That(resume.StatusCode, Is.EqualTo(HttpStatusCode.OK), await resume.Content.ReadAsStringAsync());
            using var body = JsonDocument.Parse(await resume.Content.ReadAsStringAsync());
            Assert.That(body.RootElement.GetProperty("calls").GetInt64(), Is.EqualTo(waiting.Count + 1), "every parked call back in its queue");
        }

        await Run.WaitAsync(async () => (await run.CallsAsync([.. paused, .. late])).All(call => call.Status.IsTerminal()), TimeSpan.FromMinutes(2));
        var afterResume = (await run.RequestsToAsync([.. paused, .. late])).Where(r => r.ReceivedAt >= resumedAt).OrderBy(r => r.ReceivedAt).ToList();
        Assert.That(afterResume, Has.Count.EqualTo(waiting.Count + 1));
        // In order: the resumed calls claimed their attempts in the order they were queued, give or take the four workers
        // (two processes) racing through the gates; the sandbox's arrival order adds the rate limiter's grant order.
        var waitingIds = waiting.OrderBy(call => call.CreatedAt).ThenBy(call => call.CallId, StringComparer.Ordinal).Select(call => call.CallId).Append(late.Single()).ToList();
        var claimed = (await run.CallsAsync(waitingIds)).OrderBy(call => call.Attempts[0].StartedAt).Select(call => waitingIds.IndexOf(call.CallId)).ToList();
        Assert.That(
            claimed.Select((index, position) => Math.Abs(index - position)).Max(),
            Is.LessThanOrEqualTo(2 * 2 * WorkersPerProcess),
            "FIFO, give or take the workers in flight: " + string.Join(' ', claimed));
        Assert.That((await run.RequestsToAsync([.. paused, .. late])).GroupBy(r => r.Fields["to"]).Where(g => g.Count() > 1), Is.Empty, "nobody rung twice");

        using var done = await run.GetAsync("/api/campaigns/pausing");
        using var progress = JsonDocument.Parse(await done.Content.ReadAsStringAsync());
        Assert.That(progress.RootElement.GetProperty("state").GetString(), Is.EqualTo("completed"));
        Assert.That(progress.RootElement.GetProperty("total").GetInt64(), Is.EqualTo(41));
    }

    [Test]
    public async Task Cancel_CancelsTheUndialed_LetsTheRingingFinish_AndRefusesWhatFollows()
    {
        await using var run = await Run.StartAsync(ratePerSecond: 10, maxConcurrent: 3, talkSeconds: 6);
        var calls = await run.QueueAsync("ending", count: 30, numberBase: 5000);
        await run.StartDialersAsync();
        await Run.WaitAsync(async () => (await run.CallsAsync(calls)).Count(call => call.Status.IsActive()) == 3, TimeSpan.FromSeconds(60));

        long reportedCancelled, reportedInFlight;
        using (var cancel = await run.PostAsync("/api/campaigns/ending/cancel"))
        {
            Assert.That(cancel.StatusCode, Is.EqualTo(HttpStatusCode.OK), await cancel.Content.ReadAsStringAsync());
            using var body = JsonDocument.Parse(await cancel.Content.ReadAsStringAsync());
            Assert.That(body.RootElement.GetProperty("state").GetString(), Is.EqualTo("cancelled"));
            reportedCancelled = body.RootElement.GetProperty("calls").GetInt64();
            reportedInFlight = body.RootElement.GetProperty("in_flight").GetInt64();
        }

        await Run.WaitAsync(async () => (await run.CallsAsync(calls)).All(call => call.Status.IsTerminal()), TimeSpan.FromMinutes(1));
        var ended = await run.CallsAsync(calls);
        var requested = await run.RequestsToAsync(calls);
        Assert.Multiple(() =>
        {
            Assert.That(ended.Count(call => call.Status == CallStatus.Cancelled), Is.EqualTo(reportedCancelled), "the answer says how many were cancelled");
            Assert.That(reportedCancelled, Is.GreaterThanOrEqualTo(20), "the backlog was cancelled, not dialed");
            Assert.That(reportedInFlight, Is.InRange(1, 3), "calls in flight at the cancel");
            Assert.That(ended.Count(call => call.Status == CallStatus.Completed), Is.EqualTo(requested.Count), "every call placed finished normally");
            Assert.That(ended.Where(call => call.Status == CallStatus.Cancelled).SelectMany(call => call.Attempts), Is.Empty, "no request for a cancelled call");
            Assert.That(requested.Count + reportedCancelled, Is.EqualTo(30));
        });

        foreach (var verb in new[] { "cancel", "resume", "pause" })
        {
            using var refused = await run.PostAsync($"/api/campaigns/ending/{verb}");
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), verb);
            Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("\"state\":\"cancelled\""), verb);
        }

        // A cancelled campaign takes no new calls: one call, or a batch of them.
        using (var single = await run.PostJsonAsync(
            "/api/calls/queue",
            """{ "phone_number": "+14155579999", "campaign_id": "ending", "call_config": { "answer_url": "https://a.example/x" } }"""))
        {
            Assert.That(single.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(await single.Content.ReadAsStringAsync(), Does.Contain("campaign_id").And.Contain("\"state\":\"cancelled\""));
        }

        using (var bulk = await run.PostJsonAsync(
            "/api/calls/bulk-queue",
            """{ "calls": [ { "phone_number": "+14155579998", "campaign_id": "ending", "call_config": { "answer_url": "https://a.example/x" } } ] }"""))
        {
            Assert.That(bulk.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        }

        using var unknown = await run.PostAsync("/api/campaigns/nobody/pause");
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    /// <summary>A sandbox process, an API process (no workers) and two dialer processes on one prefix of the shared redis-server.</summary>
    private sealed class Run : IAsyncDisposable
    {
        private readonly CallQueueProcess _plivo;
        private readonly CallQueueApp _api;
        private readonly Dictionary<string, string?> _dialerSettings;
        private readonly List<CallQueueProcess> _dialers = [];
        private readonly HttpClient _sandbox;

        private Run(CallQueueProcess plivo, CallQueueApp api, Dictionary<string, string?> dialerSettings)
        {
            _plivo = plivo;
            _api = api;
            _dialerSettings = dialerSettings;
            _sandbox = new HttpClient { BaseAddress = plivo.BaseAddress };
        }

        public static async Task<Run> StartAsync(double ratePerSecond, int maxConcurrent, int talkSeconds)
        {
            var caps = new Dictionary<string, string?>
            {
                ["REDIS_URL"] = SharedRedis.Server.Url,
                ["REDIS_KEY_PREFIX"] = "t" + Guid.NewGuid().ToString("N")[..12],
                ["MAX_CONCURRENT_CALLS"] = maxConcurrent.ToString(CultureInfo.InvariantCulture),
                ["RATE_LIMIT_PER_SECOND"] = ratePerSecond.ToString(CultureInfo.InvariantCulture),
                ["HANGFIRE_SERVER_TIMEOUT_SECONDS"] = "10",
            };
            var plivo = await CallQueueProcess.StartAsync(new Dictionary<string, string?>(caps)
            {
                ["QUEUE_WORKERS"] = "0",
                ["PLIVO_MODE"] = "sandbox",
                ["SANDBOX_RING_SECONDS"] = "0",
                ["SANDBOX_TALK_SECONDS"] = talkSeconds.ToString(CultureInfo.InvariantCulture),
                ["SANDBOX_ANSWER_RATIO"] = "1",
                ["SANDBOX_BUSY_RATIO"] = "0",
                ["SANDBOX_NO_ANSWER_RATIO"] = "0",
            });
            var api = CallQueueApp.WithRedis(new Dictionary<string, string?>(caps) { ["QUEUE_WORKERS"] = "0" });
            return new Run(plivo, api, new Dictionary<string, string?>(caps)
            {
                ["PLIVO_MODE"] = "sandbox",
                ["PLIVO_API_URL"] = plivo.BaseAddress + "sandbox/plivo",
                ["PUBLIC_BASE_URL"] = plivo.BaseAddress.ToString().TrimEnd('/'),
                ["QUEUE_WORKERS"] = WorkersPerProcess.ToString(CultureInfo.InvariantCulture),
                ["SCHEDULE_POLLING_SECONDS"] = "1",
            });
        }

        /// <summary>Queues <paramref name="count"/> calls of <paramref name="campaign"/> in one batch and waits for their dial jobs.</summary>
        public async Task<List<string>> QueueAsync(string campaign, int count, int numberBase, string? batch = null)
        {
            batch ??= campaign;
            var body = "{ \"batch_id\": \"" + batch + "\", \"calls\": [" + string.Join(',', Enumerable.Range(numberBase, count).Select(n => $$"""
                { "phone_number": "+1415557{{n:D4}}", "campaign_id": "{{campaign}}", "call_config": { "answer_url": "https://a.example/x" } }
                """)) + "] }";
            using (var client = _api.Client())
            using (var content = new StringContent(body, Encoding.UTF8, "application/json"))
            using (var response = await client.PostAsync(new Uri("/api/calls/bulk-queue", UriKind.Relative), content))
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
            }

            var store = _api.Service<ICallStore>();
            var ids = (await store.GetBatchCallIdsAsync(batch, CancellationToken.None)).ToList();
            await WaitAsync(async () => (await store.GetManyAsync(ids, CancellationToken.None)).All(c => c.JobId is not null), TimeSpan.FromSeconds(60));
            return ids;
        }

        public async Task StartDialersAsync()
        {
            foreach (var _ in Enumerable.Range(0, 2))
            {
                _dialers.Add(await CallQueueProcess.StartAsync(_dialerSettings));
            }
        }

        public async Task RestartDialersAsync()
        {
            foreach (var dialer in _dialers)
            {
                await dialer.DisposeAsync();
            }

            _dialers.Clear();
            await StartDialersAsync();
        }

        public async Task<IReadOnlyList<CallRecord>> CallsAsync(IReadOnlyList<string> ids) =>
            await _api.Service<ICallStore>().GetManyAsync(ids, CancellationToken.None);

        /// <summary>The create-call requests the sandbox accepted for these calls' numbers.</summary>
        public async Task<List<SandboxRequestLogEntry>> RequestsToAsync(IReadOnlyList<string> ids)
        {
            var numbers = (await CallsAsync(ids)).Select(call => call.PhoneNumber.TrimStart('+')).ToHashSet(StringComparer.Ordinal);
            var requests = (await _sandbox.GetFromJsonAsync<List<SandboxRequestLogEntry>>("/sandbox/control/requests", SandboxJson.Options))!;
            return requests.Where(r => r.ResponseStatus == 201 && numbers.Contains(r.Fields["to"].TrimStart('+'))).ToList();
        }

        public async Task<HttpResponseMessage> PostAsync(string path)
        {
            using var client = _api.Client();
            return await client.PostAsync(new Uri(path, UriKind.Relative), content: null);
        }

        /// <summary>How many calls of the campaign are parked (their jobs in no queue) while it is paused.</summary>
        public async Task<long> ParkedAsync(string campaign) =>
            await _api.Service<ICampaignStates>().CountParkedAsync(ControlTarget.Campaign(campaign), CancellationToken.None);

        public async Task<HttpResponseMessage> PostJsonAsync(string path, string json)
        {
            using var client = _api.Client();
            using var content = new StringContent(json, Encoding.UTF8, "application/json");
            return await client.PostAsync(new Uri(path, UriKind.Relative), content);
        }

        public async Task<HttpResponseMessage> GetAsync(string path)
        {
            using var client = _api.Client();
            return await client.GetAsync(new Uri(path, UriKind.Relative));
        }

        public static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (!await condition())
            {
                if (DateTime.UtcNow > deadline)
                {
                    Assert.Fail($"Condition not met within {timeout}.");
                }

                await Task.Delay(250);
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var dialer in _dialers)
            {
                await dialer.DisposeAsync();
            }

            await _api.DisposeAsync();
            _sandbox.Dispose();
            await _plivo.DisposeAsync();
        }
    }
}
