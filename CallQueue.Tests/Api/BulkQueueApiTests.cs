using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CallQueue.Jobs.Storage;
using CallQueue.Tests.Support;

namespace CallQueue.Tests.Api;

/// <summary>POST /api/calls/bulk-queue against a real redis-server; the internal server creates the dial jobs.</summary>
[TestFixture]
public sealed class BulkQueueApiTests : WorkersOffApiFixture
{
    [Test]
    public async Task BulkQueue_MigrationGuideRequest_Returns202AndCreatesTheDialJob()
    {
        var batchId = "migration-test-" + Guid.NewGuid().ToString("N")[..8];
        var body = $$"""
            {
                "batch_id": "{{batchId}}",
                "calls": [
                  {
                    "phone_number": "+919123456789",
                    "campaign_id": "test-campaign",
                    "call_config": {
                      "flow_name": "wishfin-test",
                      "answer_url": "https://your-domain.com/outbound-answer"
                    }
                  }
                ]
              }
            """;

        using var response = await PostAsync(body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Multiple(() =>
        {
            Assert.That(result.GetProperty("batch_id").GetString(), Is.EqualTo(batchId));
            Assert.That(result.GetProperty("queued").GetInt32(), Is.EqualTo(1));
            Assert.That(result.GetProperty("results")[0].GetProperty("status").GetString(), Is.EqualTo("queued"));
        });
        var callId = result.GetProperty("results")[0].GetProperty("call_id").GetString()!;
        var call = await App.WaitForCallAsync(callId, c => c.JobId is not null);
        Assert.That(call.BatchId, Is.EqualTo(batchId));
    }

    [Test]
    public async Task BulkQueue_ValidInvalidAndNullItems_QueuesTheValidAndReportsTheRestByIndex()
    {
        var body = $$"""
            {
              "calls": [
                {{QueueCallApiTests.ValidCall("+14155550123")}},
                { "phone_number": "+1415", "campaign_id": "c", "call_config": { "answer_url": "https://a.example/x" } },
                null,
                {{QueueCallApiTests.ValidCall("+919123456789", extra: "\"priority\": \"urgent\"")}}
              ]
            }
            """;

        using var response = await PostAsync(body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        var results = result.GetProperty("results").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(result.GetProperty("total").GetInt32(), Is.EqualTo(4));
            Assert.That(result.GetProperty("queued").GetInt32(), Is.EqualTo(2));
            Assert.That(result.GetProperty("rejected").GetInt32(), Is.EqualTo(2));
            Assert.That(results.Select(r => r.GetProperty("status").GetString()), Is.EqualTo(new[] { "queued", "rejected", "rejected", "queued" }));
            Assert.That(results.Select(r => r.GetProperty("index").GetInt32()), Is.EqualTo(new[] { 0, 1, 2, 3 }));
            Assert.That(results[1].GetProperty("errors").TryGetProperty("calls[1].phone_number", out _), Is.True, results[1].ToString());
            Assert.That(results[2].GetProperty("errors").TryGetProperty("calls[2]", out _), Is.True, results[2].ToString());
        });
    }

    [Test]
    public async Task BulkQueue_SameBatchPostedTwice_CreatesNoNewCalls()
    {
        var batchId = "repost-" + Guid.NewGuid().ToString("N")[..8];
        var body = $$"""{ "batch_id": "{{batchId}}", "calls": [ {{QueueCallApiTests.ValidCall("+14155550123")}}, {{QueueCallApiTests.ValidCall("+919123456789")}} ] }""";

        using var first = await PostAsync(body);
        using var second = await PostAsync(body);

        var firstResult = await first.Content.ReadFromJsonAsync<JsonElement>();
        var secondResult = await second.Content.ReadFromJsonAsync<JsonElement>();
        var batch = await App.Service<ICallStore>().GetBatchCallIdsAsync(batchId, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(firstResult.GetProperty("queued").GetInt32(), Is.EqualTo(2));
            Assert.That(secondResult.GetProperty("queued").GetInt32(), Is.Zero);
            Assert.That(secondResult.GetProperty("duplicates").GetInt32(), Is.EqualTo(2));
            Assert.That(
                secondResult.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("call_id").GetString()),
                Is.EqualTo(firstResult.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("call_id").GetString())));
            Assert.That(batch, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public async Task BulkQueue_SameIdempotencyKeyWithoutBatchId_CreatesNoNewCalls()
    {
        var key = Guid.NewGuid().ToString("N");
        var body = $$"""{ "calls": [ {{QueueCallApiTests.ValidCall("+14155550123")}} ] }""";

        using var first = await PostAsync(body, key);
        using var second = await PostAsync(body, key);

        var secondResult = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Multiple(() =>
        {
            Assert.That(secondResult.GetProperty("batch_id").GetString(), Is.EqualTo(key));
            Assert.That(secondResult.GetProperty("duplicates").GetInt32(), Is.EqualTo(1));
        });
    }

    [TestCase("""{ "batch_id": "b1" }""", "calls")]
    [TestCase("""{ "calls": [] }""", "calls")]
    [TestCase("""{ "batch_id": "not a valid id", "calls": [ {} ] }""", "batch_id")]
    [TestCase("""{ "calls": "nope" }""", "calls")]
    public async Task BulkQueue_InvalidBatch_Returns400NamingTheField(string body, string field)
    {
        using var response = await PostAsync(body);

        await QueueCallApiTests.AssertValidationProblemAsync(response, field);
    }

    [Test]
    public async Task BulkQueue_MoreThan10000Calls_Returns400NamingCalls()
    {
        var one = QueueCallApiTests.ValidCall("+14155550123");
        var body = "{ \"calls\": [" + string.Join(',', Enumerable.Repeat(one, 10_001)) + "] }";

        using var response = await PostAsync(body);

        await QueueCallApiTests.AssertValidationProblemAsync(response, "calls");
    }

    [Test]
    public async Task BulkQueue_10000Calls_AllStoredBefore202AndEveryDialJobCreatedInTheBackground()
    {
        var batchId = "big-" + Guid.NewGuid().ToString("N")[..8];
        var calls = Enumerable.Range(0, 10_000).Select(i => QueueCallApiTests.ValidCall($"+1415555{i % 10_000:D4}"));
        var body = $$"""{ "batch_id": "{{batchId}}", "calls": [ {{string.Join(',', calls)}} ] }""";

        using var response = await PostAsync(body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        var store = App.Service<ICallStore>();
        var stored = await store.GetBatchCallIdsAsync(batchId, CancellationToken.None);
        Assert.That(stored, Has.Count.EqualTo(10_000), "every accepted call is stored when the 202 is sent");

        var deadline = Stopwatch.StartNew();
        int withJob;
        do
        {
            await Task.Delay(500);
            withJob = (await store.GetManyAsync(stored, CancellationToken.None)).Count(call => call.JobId is not null);
        }
        while (withJob < stored.Count && deadline.Elapsed < TimeSpan.FromMinutes(3));

        Assert.That(withJob, Is.EqualTo(10_000), "every stored call gets its dial job");
    }

    private async Task<HttpResponseMessage> PostAsync(string body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/calls/bulk-queue") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        return await Client.SendAsync(request);
    }
}
