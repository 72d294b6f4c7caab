using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CallQueue.Jobs.Calls;
using CallQueue.Tests.Api;
using CallQueue.Tests.EndToEnd;
using CallQueue.Tests.Support;

namespace CallQueue.Tests.AgentResults;

/// <summary>POST /api/calls/results (the agent's end-of-call result) over real HTTP against a real redis-server, workers off.</summary>
[TestFixture]
public sealed class CallResultsApiTests : WorkersOffApiFixture
{
    [Test]
    public async Task PostResult_KnownCall_Returns200AndTheCallCarriesTheWholeResult()
    {
        var callId = await DialingEndToEndTests.QueueAsync(App, QueueCallApiTests.ValidCall("+14155550171"));

        using var response = await PostAsync($$"""
            {
              "call_id": "{{callId}}", "call_outcome": "interested", "duration_seconds": 42.5,
              "transcript": [ { "role": "agent", "text": "Hello Asha" }, { "role": "user", "text": "Hi" } ],
              "recording_url": "https://recordings.example.com/{{callId}}.mp3",
              "sentiment": "positive", "extracted": { "callback_at": "2030-01-31T10:00:00Z" }
            }
            """);

        var returned = await response.Content.ReadFromJsonAsync<JsonElement>();
        var call = await Client.GetFromJsonAsync<CallRecord>($"/api/calls/{callId}", CallQueueApp.Json);
        var result = call!.Result!;
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(returned.GetProperty("call_outcome").GetString(), Is.EqualTo("interested"));
            Assert.That(returned.GetProperty("raw").GetProperty("sentiment").GetString(), Is.EqualTo("positive"));
            Assert.That(result.CallOutcome, Is.EqualTo("interested"));
            Assert.That(result.DurationSeconds, Is.EqualTo(42.5));
            Assert.That(result.RecordingUrl, Is.EqualTo($"https://recordings.example.com/{callId}.mp3"));
            Assert.That(result.Transcript!.Value.GetArrayLength(), Is.EqualTo(2));
            Assert.That(result.Raw.GetProperty("sentiment").GetString(), Is.EqualTo("positive"));
            Assert.That(result.Raw.GetProperty("extracted").GetProperty("callback_at").GetString(), Is.EqualTo("2030-01-31T10:00:00Z"));
            Assert.That(result.ReceivedAt, Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(1)));
            Assert.That(call.Status, Is.EqualTo(CallStatus.Queued), "a result does not move the call's status");
        });
    }

    [Test]
    public async Task PostResult_PostedAgain_ReplacesTheStoredResult()
    {
        var callId = await DialingEndToEndTests.QueueAsync(App, QueueCallApiTests.ValidCall("+14155550172"));
        (await PostAsync($$"""{ "call_id": "{{callId}}", "call_outcome": "no_decision", "transcript": "first", "note": "old" }""")).Dispose();

        using var again = await PostAsync($$"""{ "call_id": "{{callId}}", "call_outcome": "interested", "duration_seconds": "12" }""");

        var call = await Client.GetFromJsonAsync<CallRecord>($"/api/calls/{callId}", CallQueueApp.Json);
        Assert.Multiple(() =>
        {
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(call!.Result!.CallOutcome, Is.EqualTo("interested"));
            Assert.That(call.Result.DurationSeconds, Is.EqualTo(12));
            Assert.That(call.Result.Transcript, Is.Null, "nothing of the first result is left");
            Assert.That(call.Result.Raw.TryGetProperty("note", out _), Is.False);
        });
    }

    [TestCase("+14155550181", "\"do_not_call\": true, \"call_outcome\": \"not_interested\"")]
    [TestCase("+14155550182", "\"call_outcome\": \"opt_out\"")]
    [TestCase("+14155550183", "\"call_outcome\": \"DO_NOT_CALL\"")]
    public async Task PostResult_OptOut_ListsTheNumberForEveryCampaignFromTheAgent(string number, string fields)
    {
        var callId = await DialingEndToEndTests.QueueAsync(App, QueueCallApiTests.ValidCall(number));

        using var response = await PostAsync($$"""{ "call_id": "{{callId}}", {{fields}} }""");

        var listed = await Client.GetFromJsonAsync<JsonElement>(new Uri("/api/dnc/" + number, UriKind.Relative));
        var entry = listed.GetProperty("entries").EnumerateArray().Single();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(entry.GetProperty("scope").GetString(), Is.EqualTo("global"));
            Assert.That(entry.GetProperty("source").GetString(), Is.EqualTo("agent"));
            Assert.That(entry.GetProperty("reason").GetString(), Does.Contain(callId));
            Assert.That(entry.GetProperty("added_at").GetDateTimeOffset(), Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(1)));
        });
    }

    [Test]
    public async Task PostResult_OptOutPostedTwice_StaysOneEntry()
    {
        var callId = await DialingEndToEndTests.QueueAsync(App, QueueCallApiTests.ValidCall("+14155550184"));
        (await PostAsync($$"""{ "call_id": "{{callId}}", "do_not_call": true }""")).Dispose();

        using var again = await PostAsync($$"""{ "call_id": "{{callId}}", "do_not_call": true }""");

        var listed = await Client.GetFromJsonAsync<JsonElement>(new Uri("/api/dnc/+14155550184", UriKind.Relative));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(listed.GetProperty("entries").GetArrayLength(), Is.EqualTo(1));
    }

    [Test]
    public async Task PostResult_NoOptOut_ListsNothing()
    {
        var callId = await DialingEndToEndTests.QueueAsync(App, QueueCallApiTests.ValidCall("+14155550185"));

        using var response = await PostAsync($$"""{ "call_id": "{{callId}}", "call_outcome": "interested", "do_not_call": false }""");

        using var listed = await Client.GetAsync(new Uri("/api/dnc/+14155550185", UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(listed.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task PostResult_MissingCallId_Returns400NamingIt()
    {
        using var response = await PostAsync("""{ "call_outcome": "interested" }""");

        await AssertFieldProblemAsync(response, HttpStatusCode.BadRequest, "call_id");
    }

    [TestCase("""{ "call_id": 42 }""", "call_id")]
    [TestCase("""{ "call_id": "x", "duration_seconds": "long" }""", "duration_seconds")]
    [TestCase("""{ "call_id": "x", "duration_seconds": -1 }""", "duration_seconds")]
    [TestCase("""{ "call_id": "x", "recording_url": { "href": "y" } }""", "recording_url")]
    [TestCase("""{ "call_id": "x", "do_not_call": "yes" }""", "do_not_call")]
    public async Task PostResult_FieldOfTheWrongKind_Returns400NamingIt(string body, string field)
    {
        using var response = await PostAsync(body);

        await AssertFieldProblemAsync(response, HttpStatusCode.BadRequest, field);
    }

    [Test]
    public async Task PostResult_UnknownCall_Returns404Problem()
    {
        using var response = await PostAsync("""{ "call_id": "no-such-call", "call_outcome": "interested" }""");

        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("no-such-call"));
        });
    }

    [TestCase("this is not json")]
    [TestCase("""["call_id", "x"]""")]
    [TestCase("null")]
    public async Task PostResult_NotAJsonObject_Returns400NamingTheBody(string body)
    {
        using var response = await PostAsync(body);

        await AssertFieldProblemAsync(response, HttpStatusCode.BadRequest, "body");
    }

    [Test]
    public async Task PostResult_DuplicateKeys_IsAnsweredWithout500()
    {
        using var response = await PostAsync("""{ "call_id": "no-such-call", "call_id": "still-none" }""");

        Assert.That((int)response.StatusCode, Is.InRange(400, 499));
    }

    [Test]
    public async Task PostResult_BodyOverOneMegabyte_Returns413()
    {
        var body = $$"""{ "call_id": "x", "transcript": "{{new string('a', 1024 * 1024)}}" }""";

        // A client of its own: the server closes a connection whose body it refused to read (see QueueCallApiTests).
        using var client = App.Client();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri("/api/calls/results", UriKind.Relative), content);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
    }

    private async Task<HttpResponseMessage> PostAsync(string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        return await Client.PostAsync(new Uri("/api/calls/results", UriKind.Relative), content);
    }

    private static async Task AssertFieldProblemAsync(HttpResponseMessage response, HttpStatusCode status, string field)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(status), problem.ToString());
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(problem.GetProperty("errors").TryGetProperty(field, out _), Is.True, $"names {field}: {problem}");
        });
    }
}
