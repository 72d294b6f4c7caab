using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CallQueue.Tests.EndToEnd;
using CallQueue.Tests.Support;

namespace CallQueue.Tests.Api;

/// <summary>
/// GET /api/campaigns/{id}/calls and GET /api/batches/{id}, on both stores (real redis-server and in-memory), workers off.
/// </summary>
[TestFixture("redis")]
[TestFixture("memory")]
public sealed class CampaignCallsApiTests(string storage) : WorkersOffApiFixture
{
    protected override CallQueueApp CreateApp() => storage == "redis" ? CallQueueApp.WithRedis(WorkersOff()) : CallQueueApp.InMemory(WorkersOff());

    [Test]
    public async Task CampaignCalls_25CallsByTens_ThreePagesNewestFirstCoverEveryCallOnce()
    {
        var campaign = NewCampaign();
        var queued = await QueueCampaignAsync(campaign, batchSize: 20, singles: 5);

        var first = await GetPageAsync(campaign, "limit=10");
        await QueueOneAsync(campaign, "+14155559999"); // a newer call arrives while the client pages
        var second = await GetPageAsync(campaign, $"limit=10&cursor={first.NextCursor}");
        var third = await GetPageAsync(campaign, $"limit=10&cursor={second.NextCursor}");

        var seen = first.Ids.Concat(second.Ids).Concat(third.Ids).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(first.Ids, Has.Count.EqualTo(10));
            Assert.That(second.Ids, Has.Count.EqualTo(10));
            Assert.That(third.Ids, Has.Count.EqualTo(5));
            Assert.That(first.NextCursor, Is.Not.Null);
            Assert.That(second.NextCursor, Is.Not.Null);
            Assert.That(third.NextCursor, Is.Null, "the last page says so");
            Assert.That(seen, Is.EquivalentTo(queued), "every call exactly once, the late one not shifting the pages");
            Assert.That(first.Ids.Take(5), Is.EqualTo(queued.Skip(20).Reverse()), "newest first: the singles queued last lead");
            Assert.That(first.Body.GetProperty("campaign_id").GetString(), Is.EqualTo(campaign));
            Assert.That(first.Body.GetProperty("count").GetInt32(), Is.EqualTo(10));
        });
    }

    [Test]
    public async Task CampaignCalls_StatusFilter_WalksPagesUntilTheLimitMatches()
    {
        var campaign = NewCampaign();
        var queued = await QueueCampaignAsync(campaign, batchSize: 20, singles: 2);
        var cancelled = new[] { queued[1], queued[9], queued[17] };
        foreach (var callId in cancelled)
        {
            using var cancel = await Client.DeleteAsync(new Uri($"/api/calls/{callId}", UriKind.Relative));
            Assert.That(cancel.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var first = await GetPageAsync(campaign, "status=cancelled&limit=2");
        var second = await GetPageAsync(campaign, $"status=cancelled&limit=2&cursor={first.NextCursor}");
        var queuedOnly = await GetPageAsync(campaign, "status=queued&limit=500");

        Assert.Multiple(() =>
        {
            Assert.That(first.Ids, Has.Count.EqualTo(2));
            Assert.That(first.NextCursor, Is.Not.Null);
            Assert.That(second.Ids, Has.Count.EqualTo(1));
            Assert.That(second.NextCursor, Is.Null);
            Assert.That(first.Ids.Concat(second.Ids), Is.EquivalentTo(cancelled));
            Assert.That(queuedOnly.Ids, Has.Count.EqualTo(19));
            Assert.That(queuedOnly.Ids, Has.None.AnyOf(cancelled));
        });
    }

    [Test]
    public async Task CampaignCalls_UnknownCampaign_ReturnsAnEmptyLastPage()
    {
        var page = await GetPageAsync(NewCampaign(), string.Empty);

        Assert.Multiple(() =>
        {
            Assert.That(page.Ids, Is.Empty);
            Assert.That(page.NextCursor, Is.Null);
            Assert.That(page.Body.TryGetProperty("next_cursor", out var next) && next.ValueKind == JsonValueKind.Null, Is.True, "next_cursor is written as null");
        });
    }

    [TestCase("limit=0", "limit")]
    [TestCase("limit=501", "limit")]
    [TestCase("limit=ten", "limit")]
    [TestCase("limit=-5", "limit")]
    [TestCase("status=processing", "status")]
    [TestCase("status=done", "status")]
    [TestCase("cursor=not-a-cursor", "cursor")]
    [TestCase("cursor=YzEuLTEuMA", "cursor")]
    public async Task CampaignCalls_BadQuery_Returns400NamingTheParameter(string query, string field)
    {
        using var response = await Client.GetAsync(new Uri($"/api/campaigns/{NewCampaign()}/calls?{query}", UriKind.Relative));

        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(problem.GetProperty("errors").TryGetProperty(field, out _), Is.True, problem.ToString());
        });
    }

    [Test]
    public async Task Batch_AfterBulkQueue_CountsItsCallsByStatusAndJobs()
    {
        var campaign = NewCampaign();
        var batchId = "batch-" + campaign;
        var calls = Enumerable.Range(0, 6).Select(i => i == 3
            ? """{ "phone_number": "not-a-number", "campaign_id": "x", "call_config": { "answer_url": "https://a.example/x" } }"""
            : CallJson(campaign, $"+1415558{i:D4}"));
        using (var bulk = await PostAsync("/api/calls/bulk-queue", $$"""{ "batch_id": "{{batchId}}", "calls": [ {{string.Join(",", calls)}} ] }"""))
        {
            Assert.That(bulk.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        }

        var batch = await WaitForBatchAsync(batchId, b => b.GetProperty("jobs_created").GetInt32() == 5);
        var first = (await GetPageAsync(campaign, "limit=1")).Ids.Single();
        (await Client.DeleteAsync(new Uri($"/api/calls/{first}", UriKind.Relative))).Dispose();
        var after = await WaitForBatchAsync(batchId, _ => true);

        Assert.Multiple(() =>
        {
            Assert.That(batch.GetProperty("batch_id").GetString(), Is.EqualTo(batchId));
            Assert.That(batch.GetProperty("total").GetInt32(), Is.EqualTo(5), "the rejected item was never stored");
            Assert.That(batch.GetProperty("counts").GetProperty("queued").GetInt32(), Is.EqualTo(5));
            Assert.That(batch.GetProperty("counts").GetProperty("in_progress").GetInt32(), Is.Zero);
            Assert.That(batch.GetProperty("awaiting_job").GetInt32(), Is.Zero);
            Assert.That(after.GetProperty("counts").GetProperty("queued").GetInt32(), Is.EqualTo(4));
            Assert.That(after.GetProperty("counts").GetProperty("cancelled").GetInt32(), Is.EqualTo(1));
            Assert.That(after.GetProperty("finished").GetInt32(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Batch_Unknown_Returns404Problem()
    {
        using var response = await Client.GetAsync(new Uri("/api/batches/no-such-batch", UriKind.Relative));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        });
    }

    private static string NewCampaign() => "camp-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>A bulk batch (all stored in the same millisecond) and then single calls; returns the ids in queue order.</summary>
    private async Task<List<string>> QueueCampaignAsync(string campaign, int batchSize, int singles)
    {
        var items = Enumerable.Range(0, batchSize).Select(i => CallJson(campaign, $"+1415556{i:D4}"));
        using var bulk = await PostAsync("/api/calls/bulk-queue", $$"""{ "calls": [ {{string.Join(",", items)}} ] }""");
        Assert.That(bulk.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var results = (await bulk.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results");
        var ids = results.EnumerateArray().Select(r => r.GetProperty("call_id").GetString()!).ToList();
        for (var i = 0; i < singles; i++)
        {
            await Task.Delay(5); // a later millisecond than the batch and each other
            ids.Add(await QueueOneAsync(campaign, $"+1415557{i:D4}"));
        }

        return ids;
    }

    private Task<string> QueueOneAsync(string campaign, string number) => DialingEndToEndTests.QueueAsync(App, CallJson(campaign, number));

    private static string CallJson(string campaign, string number) => $$"""
        { "phone_number": "{{number}}", "campaign_id": "{{campaign}}", "call_config": { "answer_url": "https://a.example/x" } }
        """;

    private async Task<Page> GetPageAsync(string campaign, string query)
    {
        using var response = await Client.GetAsync(new Uri($"/api/campaigns/{campaign}/calls?{query}", UriKind.Relative));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        var ids = body.GetProperty("calls").EnumerateArray().Select(call => call.GetProperty("call_id").GetString()!).ToList();
        var next = body.GetProperty("next_cursor");
        return new Page(body, ids, next.ValueKind == JsonValueKind.Null ? null : Uri.EscapeDataString(next.GetString()!));
    }

    private async Task<JsonElement> WaitForBatchAsync(string batchId, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement batch;
        do
        {
            using var response = await Client.GetAsync(new Uri($"/api/batches/{batchId}", UriKind.Relative));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            batch = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (done(batch))
            {
                return batch;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"Batch {batchId} did not reach the expected state in time; last seen: {batch}");
        throw new InvalidOperationException("unreachable");
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        return await Client.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    private sealed record Page(JsonElement Body, List<string> Ids, string? NextCursor);
}
