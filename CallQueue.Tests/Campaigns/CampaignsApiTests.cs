using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Storage;
using CallQueue.Tests.Support;
using Hangfire;

namespace CallQueue.Tests.Campaigns;

/// <summary>
/// The campaign and batch API of issue 12 on both stores (real redis-server and in-memory), workers off, so the stored
/// state is what the requests left: pause, resume and cancel (200, 404, 409 with the state), GET /api/campaigns (paged),
/// GET /api/campaigns/{id} and GET /api/batches/{id} with counts, state and ETA. The ETA's rate follows
/// RATE_LIMIT_PER_SECOND 10 and MAX_CONCURRENT_CALLS (1000 on Redis: bound by the rate; 30 in memory: bound by the
/// lines, 30 calls over the assumed 60 s each).
/// </summary>
[TestFixture("redis", 1000)]
[TestFixture("memory", 30)]
public sealed class CampaignsApiTests(string storage, int maxConcurrentCalls) : WorkersOffApiFixture
{
    private const double RatePerSecond = 10;

    private static readonly string[] Statuses = Enum.GetValues<CallStatus>().Select(status => status.ToWire()).ToArray();

    private static int _numbers;

    protected override CallQueueApp CreateApp()
    {
        var settings = WorkersOff();
        settings["RATE_LIMIT_PER_SECOND"] = RatePerSecond.ToString(CultureInfo.InvariantCulture);
        settings["MAX_CONCURRENT_CALLS"] = maxConcurrentCalls.ToString(CultureInfo.InvariantCulture);
        return storage == "redis" ? CallQueueApp.WithRedis(settings) : CallQueueApp.InMemory(settings);
    }

    [TestCase("campaigns", "pause")]
    [TestCase("campaigns", "resume")]
    [TestCase("campaigns", "cancel")]
    [TestCase("batches", "pause")]
    [TestCase("batches", "resume")]
    [TestCase("batches", "cancel")]
    public async Task Command_UnknownCampaignOrBatch_Returns404Problem(string scope, string verb)
    {
        using var response = await PostAsync($"/api/{scope}/{NewId()}/{verb}");

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        });
    }

    [TestCase("campaigns")]
    [TestCase("batches")]
    public async Task Get_UnknownCampaignOrBatch_Returns404Problem(string scope)
    {
        using var response = await Client.GetAsync(new Uri($"/api/{scope}/{NewId()}", UriKind.Relative));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        });
    }

    [Test]
    public async Task Pause_ActiveCampaign_PausesItsWaitingCalls_ThenPauseAgainAndResumeTwiceAre409WithTheState()
    {
        var campaign = NewId();
        var ids = await QueueAsync(campaign, count: 3);

        var pause = await CommandAsync($"/api/campaigns/{campaign}/pause", HttpStatusCode.OK);
        var pauseAgain = await CommandAsync($"/api/campaigns/{campaign}/pause", HttpStatusCode.Conflict);
        var paused = await GetJsonAsync($"/api/campaigns/{campaign}");
        var resume = await CommandAsync($"/api/campaigns/{campaign}/resume", HttpStatusCode.OK);
        var resumeAgain = await CommandAsync($"/api/campaigns/{campaign}/resume", HttpStatusCode.Conflict);
        var calls = await Task.WhenAll(ids.Select(id => App.WaitForCallAsync(id, _ => true)));

        Assert.Multiple(() =>
        {
            Assert.That(pause.GetProperty("campaign_id").GetString(), Is.EqualTo(campaign));
            Assert.That(pause.GetProperty("action").GetString(), Is.EqualTo("pause"));
            Assert.That(pause.GetProperty("state").GetString(), Is.EqualTo("paused"));
            Assert.That(pause.GetProperty("calls").GetInt64(), Is.EqualTo(3), "the waiting calls it holds");
            Assert.That(pauseAgain.GetProperty("state").GetString(), Is.EqualTo("paused"), pauseAgain.ToString());
            Assert.That(paused.GetProperty("state").GetString(), Is.EqualTo("paused"));
            Assert.That(resume.GetProperty("state").GetString(), Is.EqualTo("active"));
            Assert.That(resumeAgain.GetProperty("state").GetString(), Is.EqualTo("active"), resumeAgain.ToString());
            Assert.That(calls.Select(call => call.Status), Is.All.EqualTo(CallStatus.Queued), "nothing dialed, nothing cancelled");
        });
    }

    [Test]
    public async Task Resume_ActiveCampaign_Returns409WithStateActive()
    {
        var campaign = NewId();
        await QueueAsync(campaign, count: 1);

        var conflict = await CommandAsync($"/api/campaigns/{campaign}/resume", HttpStatusCode.Conflict);

        Assert.That(conflict.GetProperty("state").GetString(), Is.EqualTo("active"), conflict.ToString());
    }

    [Test]
    public async Task Cancel_CampaignWithWaitingAndRingingCalls_CancelsTheWaitingDeletesTheirJobsAndLeavesTheRingingOne()
    {
        var campaign = NewId();
        var ids = await QueueAsync(campaign, count: 4);
        var ringing = ids[0];
        await RingAsync(ringing);
        using (var single = await Client.DeleteAsync(new Uri($"/api/calls/{ids[1]}", UriKind.Relative)))
        {
            Assert.That(single.StatusCode, Is.EqualTo(HttpStatusCode.OK), "one cancelled by hand before");
        }

        var cancel = await CommandAsync($"/api/campaigns/{campaign}/cancel", HttpStatusCode.OK);

        var calls = await Task.WhenAll(ids.Select(id => App.WaitForCallAsync(id, _ => true)));
        Assert.Multiple(() =>
        {
            Assert.That(cancel.GetProperty("state").GetString(), Is.EqualTo("cancelled"));
            Assert.That(cancel.GetProperty("calls").GetInt64(), Is.EqualTo(2), "the two still waiting");
            Assert.That(cancel.GetProperty("in_flight").GetInt64(), Is.EqualTo(1), "the ringing one finishes");
            Assert.That(calls[0].Status, Is.EqualTo(CallStatus.Ringing), "never hung up");
            foreach (var call in calls.Skip(2))
            {
                Assert.That(call.Status, Is.EqualTo(CallStatus.Cancelled), call.CallId);
                Assert.That(call.StatusReason, Is.EqualTo($"Campaign {campaign} cancelled"), call.CallId);
                Assert.That(JobState(call.JobId!), Is.EqualTo("Deleted"), call.CallId);
            }
        });
    }

    [Test]
    public async Task Cancel_CancelledCampaign_EveryCommandIs409WithStateCancelled()
    {
        var campaign = NewId();
        await QueueAsync(campaign, count: 1);
        await CommandAsync($"/api/campaigns/{campaign}/cancel", HttpStatusCode.OK);

        var states = new List<string?>();
        foreach (var verb in new[] { "pause", "resume", "cancel" })
        {
            states.Add((await CommandAsync($"/api/campaigns/{campaign}/{verb}", HttpStatusCode.Conflict)).GetProperty("state").GetString());
        }

        var progress = await GetJsonAsync($"/api/campaigns/{campaign}");
        Assert.Multiple(() =>
        {
            Assert.That(states, Is.All.EqualTo("cancelled"));
            Assert.That(progress.GetProperty("state").GetString(), Is.EqualTo("cancelled"));
            Assert.That(progress.GetProperty("counts").GetProperty("cancelled").GetInt64(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Pause_CampaignWithNothingLeft_Returns409Completed()
    {
        var campaign = NewId();
        var ids = await QueueAsync(campaign, count: 1);
        (await Client.DeleteAsync(new Uri($"/api/calls/{ids[0]}", UriKind.Relative))).Dispose();

        var conflict = await CommandAsync($"/api/campaigns/{campaign}/pause", HttpStatusCode.Conflict);

        Assert.That(conflict.GetProperty("state").GetString(), Is.EqualTo("completed"));
    }

    [Test]
    public async Task GetCampaign_Active_HasEveryStatusAndAnEtaAtTheConfiguredRate()
    {
        var campaign = NewId();
        var ids = await QueueAsync(campaign, count: 5);
        await RingAsync(ids[0]);
        (await Client.DeleteAsync(new Uri($"/api/calls/{ids[1]}", UriKind.Relative))).Dispose();

        var before = DateTimeOffset.UtcNow;
        var body = await GetJsonAsync($"/api/campaigns/{campaign}");
        var after = DateTimeOffset.UtcNow;

        var counts = body.GetProperty("counts");
        var eta = body.GetProperty("eta");
        var (dialsPerSecond, boundBy) = ExpectedRate();
        var placedBy = eta.GetProperty("placed_by").GetDateTimeOffset();
        var work = TimeSpan.FromSeconds((eta.GetProperty("calls_ahead").GetInt64() + 3) / eta.GetProperty("dials_per_second").GetDouble());
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("campaign_id").GetString(), Is.EqualTo(campaign));
            Assert.That(body.GetProperty("state").GetString(), Is.EqualTo("active"));
            Assert.That((body.GetProperty("total").GetInt64(), body.GetProperty("done").GetInt64()), Is.EqualTo((5L, 1L)));
            Assert.That(counts.EnumerateObject().Select(count => count.Name), Is.EquivalentTo(Statuses), "every status, 0 included");
            Assert.That(
                (counts.GetProperty("queued").GetInt64(), counts.GetProperty("ringing").GetInt64(), counts.GetProperty("cancelled").GetInt64(), counts.GetProperty("completed").GetInt64()),
                Is.EqualTo((3L, 1L, 1L, 0L)));
            Assert.That(body.GetProperty("attempts").GetInt64(), Is.EqualTo(1));
            Assert.That(eta.GetProperty("calls_to_place").GetInt64(), Is.EqualTo(3), "the waiting calls");
            Assert.That(eta.GetProperty("calls_ahead").GetInt64(), Is.GreaterThanOrEqualTo(0));
            Assert.That(eta.GetProperty("dials_per_second").GetDouble(), Is.EqualTo(dialsPerSecond).Within(0.0005));
            Assert.That(eta.GetProperty("bound_by").GetString(), Is.EqualTo(boundBy));
            Assert.That(IsAbsent(eta, "mean_call_seconds"), Is.True, "no line time until ten attempts have ended");
            Assert.That(eta.GetProperty("note").GetString(), Does.Contain("line time is unknown"));
            Assert.That(placedBy, Is.InRange(before + work - TimeSpan.FromSeconds(1), after + work + TimeSpan.FromSeconds(1)));
        });
    }

    [Test]
    public async Task GetCampaign_Paused_EtaHasNoPlacedBy()
    {
        var campaign = NewId();
        await QueueAsync(campaign, count: 2);
        await CommandAsync($"/api/campaigns/{campaign}/pause", HttpStatusCode.OK);

        var eta = (await GetJsonAsync($"/api/campaigns/{campaign}")).GetProperty("eta");

        Assert.Multiple(() =>
        {
            Assert.That(IsAbsent(eta, "placed_by"), Is.True, eta.ToString());
            Assert.That(eta.GetProperty("calls_to_place").GetInt64(), Is.EqualTo(2));
            Assert.That(eta.GetProperty("note").GetString(), Does.StartWith("paused"));
        });
    }

    [Test]
    public async Task ListCampaigns_ThreeNewCampaigns_NewestFirstInPagesOfTheLimit()
    {
        var campaigns = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            campaigns.Add(NewId());
            await QueueAsync(campaigns[^1], count: 1);
            await Task.Delay(5); // the next campaign's first call in a later millisecond
        }

        var first = await GetJsonAsync("/api/campaigns?limit=2");
        var cursor = first.GetProperty("next_cursor").GetString();
        var second = await GetJsonAsync($"/api/campaigns?limit=2&cursor={Uri.EscapeDataString(cursor!)}");
        var everything = await GetJsonAsync("/api/campaigns?limit=100");

        var firstIds = CampaignIds(first);
        Assert.Multiple(() =>
        {
            Assert.That(firstIds, Is.EqualTo(new[] { campaigns[2], campaigns[1] }));
            Assert.That(CampaignIds(second)[0], Is.EqualTo(campaigns[0]));
            Assert.That(CampaignIds(everything).Take(3), Is.EqualTo(new[] { campaigns[2], campaigns[1], campaigns[0] }));
            Assert.That(first.GetProperty("campaigns")[0].GetProperty("state").GetString(), Is.EqualTo("active"));
            Assert.That(first.GetProperty("campaigns")[0].GetProperty("total").GetInt64(), Is.EqualTo(1));
        });
    }

    [TestCase("limit=0", "limit")]
    [TestCase("limit=101", "limit")]
    [TestCase("limit=ten", "limit")]
    [TestCase("limit=-1", "limit")]
    [TestCase("cursor=abc", "cursor")]
    [TestCase("cursor=-2", "cursor")]
    public async Task ListCampaigns_BadQuery_Returns400NamingTheParameter(string query, string field)
    {
        using var response = await Client.GetAsync(new Uri($"/api/campaigns?{query}", UriKind.Relative));

        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(problem.GetProperty("errors").TryGetProperty(field, out _), Is.True, problem.ToString());
        });
    }

    [Test]
    public async Task BatchCommands_PauseResumeCancel_ChangeTheBatchAndGetBatchShowsStateAndEta()
    {
        var batch = NewId();
        await QueueAsync(NewId(), count: 3, batch);

        var pause = await CommandAsync($"/api/batches/{batch}/pause", HttpStatusCode.OK);
        var paused = await GetJsonAsync($"/api/batches/{batch}");
        var pauseAgain = await CommandAsync($"/api/batches/{batch}/pause", HttpStatusCode.Conflict);
        await CommandAsync($"/api/batches/{batch}/resume", HttpStatusCode.OK);
        var active = await GetJsonAsync($"/api/batches/{batch}");
        var cancel = await CommandAsync($"/api/batches/{batch}/cancel", HttpStatusCode.OK);
        var cancelled = await GetJsonAsync($"/api/batches/{batch}");

        Assert.Multiple(() =>
        {
            Assert.That(pause.GetProperty("batch_id").GetString(), Is.EqualTo(batch));
            Assert.That(IsAbsent(pause, "campaign_id"), Is.True);
            Assert.That((pause.GetProperty("state").GetString(), pause.GetProperty("calls").GetInt64()), Is.EqualTo(("paused", 3L)));
            Assert.That(paused.GetProperty("state").GetString(), Is.EqualTo("paused"));
            Assert.That(IsAbsent(paused.GetProperty("eta"), "placed_by"), Is.True, paused.ToString());
            Assert.That(pauseAgain.GetProperty("state").GetString(), Is.EqualTo("paused"));
            Assert.That(active.GetProperty("state").GetString(), Is.EqualTo("active"));
            Assert.That(active.GetProperty("eta").GetProperty("placed_by").ValueKind, Is.EqualTo(JsonValueKind.String));
            Assert.That(active.GetProperty("eta").GetProperty("calls_to_place").GetInt64(), Is.EqualTo(3));
            Assert.That(active.GetProperty("eta").GetProperty("dials_per_second").GetDouble(), Is.EqualTo(ExpectedRate().DialsPerSecond).Within(0.0005));
            Assert.That((cancel.GetProperty("state").GetString(), cancel.GetProperty("calls").GetInt64()), Is.EqualTo(("cancelled", 3L)));
            Assert.That(cancelled.GetProperty("state").GetString(), Is.EqualTo("cancelled"));
            Assert.That(cancelled.GetProperty("counts").GetProperty("cancelled").GetInt64(), Is.EqualTo(3));
        });
    }

    [Test]
    public async Task CancelBatch_OnlyItsCallsAreCancelled_NotTheRestOfTheCampaign()
    {
        var campaign = NewId();
        var batch = NewId();
        var inBatch = await QueueAsync(campaign, count: 2, batch);
        var outside = await QueueAsync(campaign, count: 1);

        var cancel = await CommandAsync($"/api/batches/{batch}/cancel", HttpStatusCode.OK);

        var batchCalls = await Task.WhenAll(inBatch.Select(id => App.WaitForCallAsync(id, _ => true)));
        var other = await App.WaitForCallAsync(outside[0], _ => true);
        var progress = await GetJsonAsync($"/api/campaigns/{campaign}");
        Assert.Multiple(() =>
        {
            Assert.That(cancel.GetProperty("calls").GetInt64(), Is.EqualTo(2));
            Assert.That(batchCalls.Select(call => call.StatusReason), Is.All.EqualTo($"Batch {batch} cancelled"));
            Assert.That(other.Status, Is.EqualTo(CallStatus.Queued));
            Assert.That(progress.GetProperty("state").GetString(), Is.EqualTo("active"));
        });
    }

    /// <summary>
    /// Workers are off: the campaign has no ended attempt, and the few the fixture's other tests end are short, so the ETA
    /// is bound by the rate as the limiter grants it, whatever MAX_CONCURRENT_CALLS is.
    /// </summary>
    private static (double DialsPerSecond, string BoundBy) ExpectedRate() => (Math.Round(RatePerSecond / 1.06, 3), "rate");

    /// <summary>Null or left out (the API omits nulls).</summary>
    private static bool IsAbsent(JsonElement body, string property) =>
        !body.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null;

    /// <summary>Seven digits for a callee of its own (+1415 2xxxxxx), so no two calls of the run share a number.</summary>
    private static string NextNumber() => (2_000_000 + Interlocked.Increment(ref _numbers)).ToString(CultureInfo.InvariantCulture);

    private static string NewId() => "c" + Guid.NewGuid().ToString("N")[..10];

    private static List<string> CampaignIds(JsonElement page) =>
        page.GetProperty("campaigns").EnumerateArray().Select(campaign => campaign.GetProperty("campaign_id").GetString()!).ToList();

    /// <summary>Queues <paramref name="count"/> calls (one bulk request) and waits for their dial jobs; the ids in order.</summary>
    private async Task<List<string>> QueueAsync(string campaign, int count, string? batch = null)
    {
        var items = Enumerable.Range(0, count).Select(i => $$"""
            { "phone_number": "+1415{{NextNumber()}}", "campaign_id": "{{campaign}}", "call_config": { "answer_url": "https://a.example/x" } }
            """);
        var batchField = batch is null ? string.Empty : $"\"batch_id\": \"{batch}\", ";
        using var bulk = await PostAsync("/api/calls/bulk-queue", $$"""{ {{batchField}}"calls": [ {{string.Join(",", items)}} ] }""");
        Assert.That(bulk.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await bulk.Content.ReadAsStringAsync());
        var results = (await bulk.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results");
        var ids = results.EnumerateArray().Select(result => result.GetProperty("call_id").GetString()!).ToList();
        foreach (var id in ids)
        {
            await App.WaitForCallAsync(id, call => call.JobId is not null);
        }

        return ids;
    }

    /// <summary>Makes the call ringing as a dialer would have (attempt 1 placed at Plivo), straight in the store.</summary>
    private async Task RingAsync(string callId)
    {
        var now = DateTimeOffset.UtcNow;
        var attempt = new CallAttempt
        {
            Number = 1, StartedAt = now, ClaimToken = "t1", SentAt = now, RequestUuid = "req-" + callId, AcceptedAt = now, RingingAt = now,
        };
        var updated = await App.Service<ICallStore>().UpdateAsync(
            callId, call => call with { Status = CallStatus.Ringing, StatusReason = "Ringing (attempt 1 of 1)", Attempts = [attempt] }, CancellationToken.None);
        Assert.That(updated?.Status, Is.EqualTo(CallStatus.Ringing));
    }

    private string? JobState(string jobId)
    {
        using var connection = App.Service<JobStorage>().GetConnection();
        return connection.GetJobData(jobId)?.State;
    }

    private async Task<JsonElement> CommandAsync(string path, HttpStatusCode expected)
    {
        using var response = await PostAsync(path);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(response.StatusCode, Is.EqualTo(expected), $"POST {path}: {body}");
        return body;
    }

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"GET {path}: {body}");
        return body;
    }

    private Task<HttpResponseMessage> PostAsync(string path) => PostAsync(path, string.Empty);

    private async Task<HttpResponseMessage> PostAsync(string path, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        return await Client.PostAsync(new Uri(path, UriKind.Relative), content);
    }
}
