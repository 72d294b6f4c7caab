using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Storage;
using CallQueue.Tests.Support;

namespace CallQueue.Tests.Api;

/// <summary>
/// POST /api/calls/bulk-queue with <c>Content-Type: text/csv</c>, and a JSON batch's <c>defaults</c> (issue 12, item 4),
/// against a real redis-server.
/// </summary>
[TestFixture]
public sealed class CsvBulkQueueApiTests : WorkersOffApiFixture
{
    private static readonly string ScheduledAt = DateTimeOffset.UtcNow.AddHours(2).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    private static readonly string ExpiresAt = DateTimeOffset.UtcNow.AddDays(2).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [Test]
    public async Task BulkQueue_SameBatchAsJsonAndAsCsv_StoresTheSameCalls()
    {
        var json = $$"""
            { "batch_id": "{{NewId("json")}}", "calls": [
              { "phone_number": "+14155550123", "campaign_id": "csv-tests", "priority": "high", "max_retries": 1,
                "scheduled_at": "{{ScheduledAt}}", "expires_at": "{{ExpiresAt}}",
                "call_config": { "answer_url": "https://agent.example.com/answer", "flow_name": "wishfin-test", "timezone": "America/New_York",
                                 "variables": { "name": "Lee, Ann", "note": "said \"call me\"\nafter 5" } } },
              { "phone_number": "+919123456789", "campaign_id": "csv-tests",
                "call_config": { "answer_url": "https://agent.example.com/answer", "variables": { "name": "Ravi" } } }
            ] }
            """;
        var csv = $"""
            phone_number,campaign_id,answer_url,flow_name,priority,scheduled_at,custom_call_id,max_retries,expires_at,timezone,name,var.note
            +14155550123,csv-tests,https://agent.example.com/answer,wishfin-test,high,{ScheduledAt},,1,{ExpiresAt},America/New_York,"Lee, Ann","said ""call me""
            after 5"
            +919123456789,csv-tests,https://agent.example.com/answer,,,,,,,,Ravi,

            """;

        var fromJson = await StoredCallsAsync(await PostJsonAsync(json));
        var fromCsv = await StoredCallsAsync(await PostCsvAsync(csv, "?batch_id=" + NewId("csv")));

        Assert.That(fromCsv.Select(Describe), Is.EqualTo(fromJson.Select(Describe)));
        Assert.That(Variables(fromCsv[0])["note"], Is.EqualTo("said \"call me\"\nafter 5"));
    }

    [Test]
    public async Task BulkQueue_CsvWithBadRows_RejectsThemByRowAndColumnAndQueuesTheRest()
    {
        var csv = """
            phone_number,campaign_id,answer_url,max_retries
            +14155550123,csv-tests,https://agent.example.com/answer,2
            +1415,csv-tests,https://agent.example.com/answer,2
            +919123456789,csv-tests,https://agent.example.com/answer,lots
            +14155550124,csv-tests,,
            +14155550125,csv-tests,https://agent.example.com/answer,
            """;

        using var response = await PostCsvAsync(csv);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        var items = result.GetProperty("results").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(items.Select(item => item.GetProperty("status").GetString()), Is.EqualTo(new[] { "queued", "rejected", "rejected", "rejected", "queued" }));
            Assert.That(items.Select(item => item.GetProperty("row").GetInt32()), Is.EqualTo(new[] { 1, 2, 3, 4, 5 }));
            Assert.That(Fields(items[1]), Is.EqualTo(new[] { "phone_number" }));
            Assert.That(Fields(items[2]), Is.EqualTo(new[] { "max_retries" }));
            Assert.That(Fields(items[3]), Is.EqualTo(new[] { "answer_url" }));
            Assert.That(items[1].GetProperty("error").GetString(), Does.StartWith("Row 2: phone_number "));
            Assert.That(items[2].GetProperty("error").GetString(), Is.EqualTo("Row 3: max_retries must be a whole number (got 'lots')."));
            Assert.That(items[3].GetProperty("error").GetString(), Does.StartWith("Row 4: answer_url is required"));
            Assert.That(items[3].GetProperty("phone_number").GetString(), Is.EqualTo("+14155550124"));
            Assert.That(result.GetProperty("total_calls").GetInt32(), Is.EqualTo(5));
            Assert.That(result.GetProperty("successful").GetInt32(), Is.EqualTo(2));
            Assert.That(result.GetProperty("failed").GetInt32(), Is.EqualTo(3));
        });
    }

    [Test]
    public async Task BulkQueue_CsvWithQueryParameters_AppliesThemToEveryRow()
    {
        var batchId = NewId("query");
        var csv = "phone_number,campaign_id\n+14155550123,\n+919123456789,own-campaign\n";

        using var response = await PostCsvAsync(csv, $"?batch_id={batchId}&campaign_id=from-query&answer_url={Uri.EscapeDataString("https://agent.example.com/q?x=1")}");

        var calls = await StoredCallsAsync(response);
        Assert.Multiple(() =>
        {
            Assert.That(calls.Select(call => call.CallId), Is.EqualTo(new[] { batchId + "-00000", batchId + "-00001" }));
            Assert.That(calls.Select(call => call.BatchId), Has.All.EqualTo(batchId));
            Assert.That(calls.Select(call => call.CampaignId), Is.EqualTo(new[] { "from-query", "own-campaign" }), "a row's own value wins");
            Assert.That(calls.Select(call => call.Config.AnswerUrl), Has.All.EqualTo("https://agent.example.com/q?x=1"));
        });
    }

    [Test]
    public async Task BulkQueue_CsvVariableColumns_GoToCallConfigVariables()
    {
        var csv = """
            phone_number,campaign_id,answer_url,var.name,Account Id,var.phone_number,empty
            +14155550123,csv-tests,https://agent.example.com/answer,Ann,"A-1,2",+14155550999,
            """;

        var calls = await StoredCallsAsync(await PostCsvAsync(csv));

        Assert.That(Variables(calls[0]), Is.EqualTo(new Dictionary<string, string>
        {
            ["name"] = "Ann",
            ["Account Id"] = "A-1,2",
            ["phone_number"] = "+14155550999",
        }));
    }

    [Test]
    public async Task BulkQueue_CsvPostedTwice_CreatesNoNewCalls()
    {
        var csv = "phone_number,campaign_id,answer_url\n+14155550123,csv-tests,https://agent.example.com/answer\n+919123456789,csv-tests,https://agent.example.com/answer\n";
        var query = "?batch_id=" + NewId("repost");

        using var first = await PostCsvAsync(csv, query);
        using var second = await PostCsvAsync(csv, query);

        var firstResult = await first.Content.ReadFromJsonAsync<JsonElement>();
        var secondResult = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Multiple(() =>
        {
            Assert.That(firstResult.GetProperty("queued").GetInt32(), Is.EqualTo(2));
            Assert.That(secondResult.GetProperty("duplicates").GetInt32(), Is.EqualTo(2));
            Assert.That(secondResult.GetProperty("successful").GetInt32(), Is.EqualTo(2));
            Assert.That(CallIds(secondResult), Is.EqualTo(CallIds(firstResult)));
        });
    }

    [Test]
    public async Task BulkQueue_JsonDefaults_AreMergedUnderEveryItem()
    {
        var json = $$"""
            { "defaults": { "campaign_id": "from-defaults", "priority": "high", "max_retries": 1, "expires_at": "{{ExpiresAt}}",
                            "call_config": { "answer_url": "https://agent.example.com/answer", "flow_name": "default-flow",
                                             "variables": { "a": "1", "b": "2" } } },
              "calls": [
                { "phone_number": "+14155550123" },
                { "phone_number": "+919123456789", "campaign_id": "own", "priority": "low",
                  "call_config": { "flow_name": "own-flow", "variables": { "b": "3", "c": "4" } } }
              ] }
            """;

        var calls = await StoredCallsAsync(await PostJsonAsync(json));

        Assert.Multiple(() =>
        {
            Assert.That(calls.Select(call => call.CampaignId), Is.EqualTo(new[] { "from-defaults", "own" }));
            Assert.That(calls.Select(call => call.Priority), Is.EqualTo(new[] { CallPriority.High, CallPriority.Low }));
            Assert.That(calls.Select(call => call.MaxRetries), Has.All.EqualTo(1));
            Assert.That(calls.Select(call => call.ExpiresAt), Has.All.Not.Null);
            Assert.That(calls.Select(call => call.Config.AnswerUrl), Has.All.EqualTo("https://agent.example.com/answer"));
            Assert.That(calls.Select(call => call.Config.FlowName), Is.EqualTo(new[] { "default-flow", "own-flow" }));
            Assert.That(Variables(calls[0]), Is.EqualTo(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }));
            Assert.That(Variables(calls[1]), Is.EqualTo(new Dictionary<string, string> { ["a"] = "1", ["b"] = "3", ["c"] = "4" }));
        });
    }

    [TestCase("""{ "defaults": { "priority": "soon" }, "calls": [ {} ] }""", "defaults.priority")]
    [TestCase("""{ "defaults": { "max_retries": 99 }, "calls": [ {} ] }""", "defaults.max_retries")]
    [TestCase("""{ "defaults": { "call_config": { "answer_url": "ftp://x" } }, "calls": [ {} ] }""", "defaults.call_config.answer_url")]
    [TestCase("""{ "defaults": { "priority": 5 }, "calls": [ {} ] }""", "defaults.priority")]
    public async Task BulkQueue_BadJsonDefault_Returns400NamingIt(string body, string field)
    {
        using var response = await PostJsonAsync(body);

        await QueueCallApiTests.AssertValidationProblemAsync(response, field);
    }

    [TestCase("?campaign_id=a/b", "campaign_id")]
    [TestCase("?answer_url=nope", "answer_url")]
    [TestCase("?batch_id=not%20an%20id", "batch_id")]
    public async Task BulkQueue_BadCsvQueryParameter_Returns400NamingIt(string query, string field)
    {
        using var response = await PostCsvAsync("phone_number\n+14155550123\n", query);

        await QueueCallApiTests.AssertValidationProblemAsync(response, field);
    }

    [TestCase("phone_number,campaign_id\n+14155550123,\"open\n+919123456789,x\n", "Row 1 (line 2), column campaign_id: a quoted field is not closed")]
    [TestCase("phone_number,campaign_id\n+14155550123,\"a\"b\n", "Row 1 (line 2), column campaign_id: text follows the closing quote")]
    [TestCase("phone_number,campaign_id\n+14155550123,c\n+919123456789,c,extra\n", "Row 2 (line 3) has 3 fields; the header has 2")]
    [TestCase("phone_number,campaign_id\n+14155550123\n", "Row 1 (line 2) has 1 fields; the header has 2")]
    [TestCase("+14155550123,csv-tests,https://agent.example.com/answer\n", "with a phone_number column")]
    [TestCase("phone_number\n\"\n", "Row 1 (line 2), column phone_number: a quoted field is not closed")]
    [TestCase("\"phone_number,campaign_id\n+14155550123,c\n", "The header (line 1), column 1: a quoted field is not closed")]
    [TestCase("", "The CSV is empty")]
    [TestCase("phone_number,campaign_id\n", "no data rows")]
    [TestCase("phone_number,,campaign_id\n+14155550123,,c\n", "column 2 has no name")]
    [TestCase("phone_number,Phone_Number\n+14155550123,+14155550123\n", "phone_number twice")]
    [TestCase("phone_number,name,var.name\n+14155550123,a,b\n", "variable name twice")]
    public async Task BulkQueue_MalformedCsv_Returns400NamingTheProblem(string csv, string expected)
    {
        using var response = await PostCsvAsync(csv);

        await QueueCallApiTests.AssertValidationProblemAsync(response, "csv");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(problem.GetProperty("errors").GetProperty("csv")[0].GetString(), Does.Contain(expected));
    }

    [Test]
    public async Task BulkQueue_CsvNotUtf8_Returns400()
    {
        using var content = new ByteArrayContent([.. "phone_number,name\n+14155550123,"u8, 0xE9, (byte)'\n']);
        content.Headers.ContentType = new("text/csv");

        using var response = await Client.PostAsync("/api/calls/bulk-queue", content);

        await QueueCallApiTests.AssertValidationProblemAsync(response, "csv");
    }

    [TestCase("text/plain")]
    [TestCase("text/csv; charset=iso-8859-1")]
    public async Task BulkQueue_UnsupportedMediaType_Returns415(string contentType)
    {
        using var content = new StringContent("phone_number\n+14155550123\n");
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        using var response = await Client.PostAsync("/api/calls/bulk-queue", content);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task BulkQueue_CsvWithMoreThan10000Rows_Returns400()
    {
        var csv = new StringBuilder("phone_number\n");
        for (var i = 0; i < 10_001; i++)
        {
            csv.Append("+14155550123\n");
        }

        using var response = await PostCsvAsync(csv.ToString());

        await QueueCallApiTests.AssertValidationProblemAsync(response, "csv");
    }

    [Test]
    public async Task BulkQueue_CsvWithBlankLines_SkipsThemAndKeepsRowNumbers()
    {
        var csv = "phone_number,campaign_id,answer_url\n+14155550123,c,https://agent.example.com/answer\n\n,,\n+1415,c,https://agent.example.com/answer\n";

        using var response = await PostCsvAsync(csv);

        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        var items = result.GetProperty("results").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(result.GetProperty("total_calls").GetInt32(), Is.EqualTo(2));
            Assert.That(items.Select(item => item.GetProperty("row").GetInt32()), Is.EqualTo(new[] { 1, 4 }));
        });
    }

    private static string NewId(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    private static IEnumerable<string> Fields(JsonElement item) => item.GetProperty("errors").EnumerateObject().Select(property => property.Name);

    private static IEnumerable<string?> CallIds(JsonElement result) =>
        result.GetProperty("results").EnumerateArray().Select(item => item.GetProperty("call_id").GetString());

    private static Dictionary<string, string> Variables(CallRecord call) =>
        call.Config.Variables is { } variables ? variables.Deserialize<Dictionary<string, string>>()! : [];

    private static string Describe(CallRecord call) => string.Join(
        " | ",
        call.PhoneNumber,
        call.CampaignId,
        call.Status,
        call.Priority,
        call.MaxRetries,
        call.ScheduledAt?.ToString("O", CultureInfo.InvariantCulture),
        call.ExpiresAt?.ToString("O", CultureInfo.InvariantCulture),
        call.Config.AnswerUrl,
        call.Config.FlowName,
        call.Config.Timezone,
        string.Join(",", Variables(call).Select(pair => pair.Key + "=" + pair.Value)));

    private async Task<List<CallRecord>> StoredCallsAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), text);
            var result = JsonDocument.Parse(text).RootElement;
            Assert.That(result.GetProperty("rejected").GetInt32(), Is.Zero, text);
            var ids = CallIds(result).Select(id => id!).ToList();
            var calls = await App.Service<ICallStore>().GetManyAsync(ids, CancellationToken.None);
            return [.. ids.Select(id => calls.Single(call => call.CallId == id))];
        }
    }

    private Task<HttpResponseMessage> PostJsonAsync(string body) =>
        Client.PostAsync("/api/calls/bulk-queue", new StringContent(body, Encoding.UTF8, "application/json"));

    private Task<HttpResponseMessage> PostCsvAsync(string csv, string query = "") =>
        Client.PostAsync("/api/calls/bulk-queue" + query, new StringContent(csv, Encoding.UTF8, "text/csv"));
}
