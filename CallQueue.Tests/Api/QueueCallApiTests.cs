using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Storage;
using CallQueue.Tests.Support;
using Hangfire;

namespace CallQueue.Tests.Api;

/// <summary>POST /api/calls/queue (and /outbound) over real HTTP against a real redis-server, workers off.</summary>
[TestFixture]
public sealed class QueueCallApiTests : WorkersOffApiFixture
{
    [Test]
    public async Task Queue_MigrationGuideCurlRequest_Returns202WithLocationAndStoresTheCall()
    {
        // The exact body of MIGRATION_GUIDE.md "Test a call".
        const string body = """
            {
                "phone_number": "+919123456789",
                "campaign_id": "test-migration",
                "call_config": {
                  "flow_name": "wishfin-test",
                  "answer_url": "https://your-domain.com/outbound-answer"
                }
              }
            """;

        using var response = await PostJsonAsync("/api/calls/queue", body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var queued = await response.Content.ReadFromJsonAsync<JsonElement>();
        var callId = queued.GetProperty("call_id").GetString();
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/calls/{callId}"));
            Assert.That(queued.GetProperty("status").GetString(), Is.EqualTo("queued"));
            Assert.That(queued.GetProperty("duplicate").GetBoolean(), Is.False);
            Assert.That(queued.GetProperty("priority").GetString(), Is.EqualTo("normal"));
        });

        var call = await Client.GetFromJsonAsync<CallRecord>($"/api/calls/{callId}", CallQueueApp.Json);
        Assert.Multiple(() =>
        {
            Assert.That(call!.PhoneNumber, Is.EqualTo("+919123456789"));
            Assert.That(call.CampaignId, Is.EqualTo("test-migration"));
            Assert.That(call.Config.AnswerUrl, Is.EqualTo("https://your-domain.com/outbound-answer"));
            Assert.That(call.Config.FlowName, Is.EqualTo("wishfin-test"));
            Assert.That(call.MaxRetries, Is.EqualTo(3));
            Assert.That(call.JobId, Is.Not.Null, "the dial job is created before the 202");
        });
        var job = App.Service<JobStorage>().GetConnection().GetJobData(call!.JobId);
        Assert.That(job.State, Is.EqualTo("Enqueued"));
    }

    [Test]
    public async Task Queue_EnhancedCallConfigWithJsonComment_IsAcceptedAsWritten()
    {
        // MIGRATION_GUIDE.md "Enhanced Call Config", comment included.
        const string body = """
            {
              "phone_number": "+919123456789",
              "campaign_id": "campaign-123",
              "call_config": {
                "flow_name": "wishfin-test",
                "answer_url": "https://your-domain.com/outbound-answer",  // NEW: Required
                "variables": {
                  "name": "John Doe",
                  "email": "john@example.com"
                },
                "voice": "en-US",
                "max_duration": 1800,
                "recording_enabled": true
              },
              "priority": "normal",
              "max_retries": 3
            }
            """;

        using var response = await PostJsonAsync("/api/calls/queue", body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        var callId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("call_id").GetString();
        var call = await Client.GetFromJsonAsync<CallRecord>($"/api/calls/{callId}", CallQueueApp.Json);
        Assert.Multiple(() =>
        {
            Assert.That(call!.Config.Variables?.GetProperty("email").GetString(), Is.EqualTo("john@example.com"));
            Assert.That(call.Config.MaxDuration, Is.EqualTo(1800));
            Assert.That(call.Config.RecordingEnabled, Is.True);
            Assert.That(call.Config.Voice, Is.EqualTo("en-US"));
        });
    }

    [Test]
    public async Task Queue_OutboundAlias_QueuesLikeQueue()
    {
        using var response = await PostJsonAsync("/api/calls/outbound", ValidCall("+14155550123"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
    }

    [TestCase("urgent")]
    [TestCase("high")]
    [TestCase("low")]
    public async Task Queue_Priority_PutsTheJobInTheQueueOfThatName(string priority)
    {
        using var response = await PostJsonAsync("/api/calls/queue", ValidCall("+14155550123", extra: $"\"priority\": \"{priority.ToUpperInvariant()}\""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var callId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("call_id").GetString()!;
        var call = await App.Service<ICallStore>().GetAsync(callId, CancellationToken.None);
        var job = App.Service<JobStorage>().GetConnection().GetJobData(call!.JobId);
        Assert.Multiple(() =>
        {
            Assert.That(call.Priority.ToWire(), Is.EqualTo(priority));
            Assert.That(job.Job.Queue, Is.EqualTo(priority));
        });
    }

    [Test]
    public async Task Queue_SameCustomCallIdTwice_Returns200DuplicateAndCreatesNothing()
    {
        var customId = "crm-" + Guid.NewGuid().ToString("N");
        var body = ValidCall("+14155550123", extra: $"\"custom_call_id\": \"{customId}\"");

        using var first = await PostJsonAsync("/api/calls/queue", body);
        var firstCall = await App.Service<ICallStore>().GetAsync(customId, CancellationToken.None);
        using var second = await PostJsonAsync("/api/calls/queue", ValidCall("+919123456789", extra: $"\"custom_call_id\": \"{customId}\""));

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var duplicate = await second.Content.ReadFromJsonAsync<JsonElement>();
        var stored = await App.Service<ICallStore>().GetAsync(customId, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(duplicate.GetProperty("duplicate").GetBoolean(), Is.True);
            Assert.That(duplicate.GetProperty("call_id").GetString(), Is.EqualTo(customId));
            Assert.That(duplicate.GetProperty("job_id").GetString(), Is.EqualTo(firstCall!.JobId), "no second job");
            Assert.That(stored!.PhoneNumber, Is.EqualTo("+14155550123"), "the first call is kept untouched");
        });
    }

    [Test]
    public async Task Queue_SameIdempotencyKeyTwice_ReturnsTheFirstCall()
    {
        var key = Guid.NewGuid().ToString("N");

        using var first = await PostJsonAsync("/api/calls/queue", ValidCall("+14155550123"), key);
        using var second = await PostJsonAsync("/api/calls/queue", ValidCall("+14155550123"), key);

        var firstId = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("call_id").GetString();
        var secondBody = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(secondBody.GetProperty("call_id").GetString(), Is.EqualTo(firstId));
            Assert.That(secondBody.GetProperty("duplicate").GetBoolean(), Is.True);
        });
    }

    [Test]
    public async Task Queue_InvalidIdempotencyKey_Returns400NamingTheHeader()
    {
        using var response = await PostJsonAsync("/api/calls/queue", ValidCall("+14155550123"), "has spaces in it");

        await AssertValidationProblemAsync(response, "Idempotency-Key");
    }

    [Test]
    public async Task Queue_ScheduledAtInTheFuture_IsScheduledNotEnqueued()
    {
        var at = DateTimeOffset.UtcNow.AddHours(2).ToString("O");

        using var response = await PostJsonAsync("/api/calls/queue", ValidCall("+14155550123", extra: $"\"scheduled_at\": \"{at}\""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var call = await App.Service<ICallStore>().GetAsync(body.GetProperty("call_id").GetString()!, CancellationToken.None);
        var job = App.Service<JobStorage>().GetConnection().GetJobData(call!.JobId);
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("scheduled"));
            Assert.That(job.State, Is.EqualTo("Scheduled"));
            Assert.That(call.ScheduledAt, Is.EqualTo(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture)));
        });
    }

    [TestCase("""{"campaign_id":"c","call_config":{"answer_url":"https://a.example/x"}}""", "phone_number")]
    [TestCase("""{"phone_number":"9123456789","campaign_id":"c","call_config":{"answer_url":"https://a.example/x"}}""", "phone_number")]
    [TestCase("""{"phone_number":"+919123456789","call_config":{"answer_url":"https://a.example/x"}}""", "campaign_id")]
    [TestCase("""{"phone_number":"+919123456789","campaign_id":"c"}""", "call_config")]
    [TestCase("""{"phone_number":"+919123456789","campaign_id":"c","call_config":{"flow_name":"f"}}""", "call_config.answer_url")]
    [TestCase("""{"phone_number":"+919123456789","campaign_id":"c","call_config":{"answer_url":"/relative"}}""", "call_config.answer_url")]
    [TestCase("""{"phone_number":"+919123456789","campaign_id":"c","call_config":{"answer_url":"https://a.example/x"},"priority":"asap"}""", "priority")]
    [TestCase("""{"phone_number":"+919123456789","campaign_id":"c","call_config":{"answer_url":"https://a.example/x"},"max_retries":99}""", "max_retries")]
    [TestCase("""{"phone_number":"+919123456789","campaign_id":"c","call_config":{"answer_url":"https://a.example/x"},"scheduled_at":"tomorrow"}""", "scheduled_at")]
    [TestCase("""{"phone_number":"+919123456789","campaign_id":"c","call_config":{"answer_url":"https://a.example/x","variables":[1,2]}}""", "call_config.variables")]
    [TestCase("""{"phone_number":"+919123456789","campaign_id":"c","call_config":{"answer_url":"https://a.example/x","webhook_url":"https://evil.example/x"}}""", "call_config.webhook_url")]
    [TestCase("""{"phone_number":"+919123456789","campaign_id":"c","call_config":{"answer_url":"https://a.example/x"},"custom_call_id":"a b"}""", "custom_call_id")]
    [TestCase("""{"phone_number":"+919123456789","campaign_id":"c","call_config":{"answer_url":"https://a.example/x"},"max_retries":"lots"}""", "max_retries")]
    [TestCase("""{"phone_number":123,"campaign_id":"c","call_config":{"answer_url":"https://a.example/x"}}""", "phone_number")]
    [TestCase("""{"phone_number":"+919123456789","campaign_id":"c","call_config":{"answer_url":"https://a.example/x"}""", "body")]
    [TestCase("""[]""", "body")]
    public async Task Queue_InvalidBody_Returns400ProblemNamingTheFieldAndStoresNothing(string body, string field)
    {
        var countsBefore = await App.Service<ICallStore>().CountByStatusAsync(CancellationToken.None);

        using var response = await PostJsonAsync("/api/calls/queue", body);

        await AssertValidationProblemAsync(response, field);
        var countsAfter = await App.Service<ICallStore>().CountByStatusAsync(CancellationToken.None);
        Assert.That(countsAfter[CallStatus.Queued], Is.EqualTo(countsBefore[CallStatus.Queued]));
    }

    [Test]
    public async Task Queue_BodyOver64KB_Returns413Problem()
    {
        var huge = new string('x', 70 * 1024);

        // A client of its own: the server closes a connection whose body it refused to read, and the fixture's shared
        // client could otherwise hand that closed connection to the next test.
        using var client = App.Client();
        using var content = new StringContent(ValidCall("+14155550123", extra: $"\"campaign_id\": \"{huge}\""), Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri("/api/calls/queue", UriKind.Relative), content);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task Queue_NonJsonContentType_Returns415Problem()
    {
        using var content = new StringContent("phone_number=+919123456789", Encoding.UTF8, "application/x-www-form-urlencoded");

        using var response = await Client.PostAsync(new Uri("/api/calls/queue", UriKind.Relative), content);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
    }

    [Test]
    public async Task GetCall_UnknownId_Returns404Problem()
    {
        using var response = await Client.GetAsync(new Uri("/api/calls/no-such-call/status", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("no-such-call"));
    }

    internal static string ValidCall(string phone, string? extra = null) =>
        "{" + (extra is null ? string.Empty : extra + ",")
        + $$"""
            "phone_number": "{{phone}}", "campaign_id": "api-tests",
            "call_config": { "flow_name": "wishfin-test", "answer_url": "https://agent.example.com/answer" }
            }
            """;

    private async Task<HttpResponseMessage> PostJsonAsync(string path, string body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        return await Client.SendAsync(request);
    }

    internal static async Task AssertValidationProblemAsync(HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var problem = JsonDocument.Parse(text).RootElement;
        var fields = problem.GetProperty("errors").EnumerateObject().Select(property => property.Name).ToList();
        Assert.That(fields, Does.Contain(field), text);
    }
}
