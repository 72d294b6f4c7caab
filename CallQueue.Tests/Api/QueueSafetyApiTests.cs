using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CallQueue.Api.Sandbox;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Storage;
using CallQueue.Tests.EndToEnd;
using CallQueue.Tests.Support;

namespace CallQueue.Tests.Api;

/// <summary>
/// Callee safety when calls are queued (issue 11), workers off, calling hours off: the new fields and their 400s, numbers
/// whose time zone is unknown, deadlines copied to the record, and calls to listed numbers stored blocked without a dial job.
/// </summary>
[TestFixture]
public sealed class QueueSafetyApiTests : WorkersOffApiFixture
{
    /// <summary>International freephone (+800): a valid number libphonenumber maps to no time zone.</summary>
    internal const string UnknownZoneNumber = "+80012345678";

    [TestCase("""{"timezone":"Asia/Bangalore"}""", "call_config.timezone")]
    [TestCase("""{"timezone":""}""", "call_config.timezone")]
    [TestCase("""{"calling_window":{"start":"18:00","end":"10:00"}}""", "call_config.calling_window")]
    [TestCase("""{"calling_window":{"start":"10:00","end":"18:00","days":["weekdays"]}}""", "call_config.calling_window")]
    [TestCase("""{"calling_window":{"start":"10:00"}}""", "call_config.calling_window")]
    [TestCase("""{"calling_window":{"start":"10:00","end":"18:00","days":"mon"}}""", "call_config.calling_window.days")]
    public async Task Queue_InvalidSafetyConfig_Returns400NamingTheField(string config, string field)
    {
        using var response = await PostAsync("/api/calls/queue", Call("+14155550401", config: config));

        await QueueCallApiTests.AssertValidationProblemAsync(response, field);
    }

    [TestCase("next friday")]
    [TestCase("2020-01-01T00:00:00Z")]
    public async Task Queue_ExpiresAtNotAFutureDate_Returns400NamingExpiresAt(string expiresAt)
    {
        using var response = await PostAsync("/api/calls/queue", Call("+14155550401", extra: $"\"expires_at\": \"{expiresAt}\""));

        await QueueCallApiTests.AssertValidationProblemAsync(response, "expires_at");
    }

    [Test]
    public async Task Queue_ExpiresAtBeforeScheduledAt_Returns400NamingExpiresAt()
    {
        var scheduledAt = Iso(DateTimeOffset.UtcNow.AddHours(3));
        var expiresAt = Iso(DateTimeOffset.UtcNow.AddHours(2));

        using var response = await PostAsync("/api/calls/queue", Call("+14155550401", extra: $"\"scheduled_at\": \"{scheduledAt}\", \"expires_at\": \"{expiresAt}\""));

        var text = await response.Content.ReadAsStringAsync();
        await QueueCallApiTests.AssertValidationProblemAsync(response, "expires_at");
        Assert.That(text, Does.Contain("after scheduled_at"));
    }

    [Test]
    public async Task Queue_NumberWhoseTimeZoneIsUnknown_Returns400NamingCallConfigTimezoneAndStoresNothing()
    {
        var customId = "unknown-zone-" + Guid.NewGuid().ToString("N");

        using var response = await PostAsync("/api/calls/queue", Call(UnknownZoneNumber, extra: $"\"custom_call_id\": \"{customId}\""));

        var text = await response.Content.ReadAsStringAsync();
        await QueueCallApiTests.AssertValidationProblemAsync(response, "call_config.timezone");
        Assert.That(text, Does.Contain("time zone is unknown"));
        Assert.That(await App.Service<ICallStore>().GetAsync(customId, CancellationToken.None), Is.Null, "never queued");
    }

    [Test]
    public async Task Queue_NumberWhoseTimeZoneIsUnknownWithTimezone_Returns202()
    {
        using var response = await PostAsync("/api/calls/queue", Call(UnknownZoneNumber, config: """{"timezone":"Europe/Zurich"}"""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Queue_SafetyFields_AreCopiedToTheRecordAndAnswered()
    {
        var expiresAt = DateTimeOffset.UtcNow.AddHours(6);
        var config = """{"timezone":"Asia/Kolkata","calling_window":{"start":"10:00","end":"18:00","days":["mon","tue","wed","thu","fri"]}}""";

        using var response = await PostAsync("/api/calls/queue", Call("+919123456789", config: config, extra: $"\"expires_at\": \"{Iso(expiresAt)}\""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var call = await App.Service<ICallStore>().GetAsync(body.GetProperty("call_id").GetString()!, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(call!.ExpiresAt, Is.EqualTo(Truncated(expiresAt)));
            Assert.That(body.GetProperty("expires_at").GetDateTimeOffset(), Is.EqualTo(Truncated(expiresAt)));
            Assert.That(call.Config.Timezone, Is.EqualTo("Asia/Kolkata"));
            Assert.That(call.Config.CallingWindow!.Start, Is.EqualTo("10:00"));
            Assert.That(call.Config.CallingWindow.End, Is.EqualTo("18:00"));
            Assert.That(call.Config.CallingWindow.Days, Is.EqualTo(new[] { "mon", "tue", "wed", "thu", "fri" }));
        });
    }

    [Test]
    public async Task Queue_NumberOnTheDoNotCallList_Returns202BlockedStoredWithItsReasonAndNoDialJob()
    {
        const string Number = "+14155550402";
        await ListAsync($$"""{ "phone_numbers": ["{{Number}}"], "reason": "asked on the phone" }""");

        using var response = await PostAsync("/api/calls/queue", Call(Number));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var callId = body.GetProperty("call_id").GetString()!;
        var store = App.Service<ICallStore>();
        var call = await store.GetAsync(callId, CancellationToken.None);
        Assert.Multiple(async () =>
        {
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/calls/{callId}"));
            Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("blocked"));
            Assert.That(body.GetProperty("message").GetString(), Does.Contain("not queued for dialing").And.Contain("do-not-call"));
            Assert.That(body.GetProperty("status_reason").GetString(), Does.StartWith("Blocked: on the do-not-call list for every campaign (reason: asked on the phone; added by api at "));
            Assert.That(body.TryGetProperty("job_id", out _), Is.False);
            Assert.That(call!.Status, Is.EqualTo(CallStatus.Blocked));
            Assert.That(call.StatusReason, Is.EqualTo(body.GetProperty("status_reason").GetString()));
            Assert.That(call.JobId, Is.Null, "never dialed, so no dial job");
            Assert.That(call.Decisions!.Single().Rule, Is.EqualTo(SafetyRule.DoNotCall));
            Assert.That(await store.GetCallsAwaitingJobAsync(TimeSpan.Zero, 100_000, CancellationToken.None), Does.Not.Contain(callId), "the sweep never makes one");
        });
    }

    [Test]
    public async Task Queue_NumberListedForAnotherCampaign_IsQueued_ForItsCampaign_IsBlocked()
    {
        const string Number = "+14155550403";
        await ListAsync($$"""{ "phone_numbers": ["{{Number}}"], "campaign_id": "listed-campaign" }""");

        using var other = await PostAsync("/api/calls/queue", Call(Number, campaign: "other-campaign"));
        using var listed = await PostAsync("/api/calls/queue", Call(Number, campaign: "listed-campaign"));

        var otherBody = await other.Content.ReadFromJsonAsync<JsonElement>();
        var listedBody = await listed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Multiple(() =>
        {
            Assert.That(otherBody.GetProperty("status").GetString(), Is.EqualTo("queued"));
            Assert.That(otherBody.GetProperty("job_id").GetString(), Is.Not.Null);
            Assert.That(listedBody.GetProperty("status").GetString(), Is.EqualTo("blocked"));
            Assert.That(listedBody.GetProperty("status_reason").GetString(), Does.StartWith("Blocked: on the do-not-call list for campaign 'listed-campaign' (added by api at "));
        });
    }

    [Test]
    public async Task Queue_BlockedCallPostedAgain_Returns200DuplicateStillBlockedWithoutAJob()
    {
        const string Number = "+14155550404";
        var customId = "blocked-" + Guid.NewGuid().ToString("N");
        await ListAsync($$"""{ "phone_numbers": ["{{Number}}"] }""");
        var body = Call(Number, extra: $"\"custom_call_id\": \"{customId}\"");
        (await PostAsync("/api/calls/queue", body)).Dispose();

        using var again = await PostAsync("/api/calls/queue", body);

        var answer = await again.Content.ReadFromJsonAsync<JsonElement>();
        var call = await App.Service<ICallStore>().GetAsync(customId, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(answer.GetProperty("status").GetString(), Is.EqualTo("blocked"));
            Assert.That(call!.JobId, Is.Null);
        });
    }

    [Test]
    public async Task BulkQueue_ListedUnknownZoneAndGoodItems_BlocksRejectsAndQueuesEachAndCountsThem()
    {
        await ListAsync("""{ "phone_numbers": ["+14155550405", "+14155550406"], "reason": "complaint" }""");
        var body = $$"""
            {
              "calls": [
                {{Call("+14155550405")}},
                {{Call(UnknownZoneNumber)}},
                {{Call("+14155550407")}},
                {{Call("+14155550406")}},
                {{Call(UnknownZoneNumber, config: """{"timezone":"UTC"}""")}}
              ]
            }
            """;

        using var response = await PostAsync("/api/calls/bulk-queue", body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        var results = result.GetProperty("results").EnumerateArray().ToList();
        var store = App.Service<ICallStore>();
        var blocked = await store.GetAsync(results[0].GetProperty("call_id").GetString()!, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(results.Select(r => r.GetProperty("status").GetString()), Is.EqualTo(new[] { "blocked", "rejected", "queued", "blocked", "queued" }));
            Assert.That(result.GetProperty("queued").GetInt32(), Is.EqualTo(2));
            Assert.That(result.GetProperty("blocked").GetInt32(), Is.EqualTo(2));
            Assert.That(result.GetProperty("rejected").GetInt32(), Is.EqualTo(1));
            Assert.That(result.GetProperty("duplicates").GetInt32(), Is.Zero);
            Assert.That(result.GetProperty("total").GetInt32(), Is.EqualTo(5));
            Assert.That(result.GetProperty("message").GetString(), Is.EqualTo("2 queued, 0 already queued, 1 rejected, 2 blocked (on the do-not-call list, not queued for dialing)"));
            Assert.That(results[0].GetProperty("status_reason").GetString(), Does.StartWith("Blocked: on the do-not-call list for every campaign (reason: complaint;"));
            Assert.That(results[1].GetProperty("errors").TryGetProperty("calls[1].call_config.timezone", out _), Is.True, results[1].ToString());
            Assert.That(blocked!.Status, Is.EqualTo(CallStatus.Blocked));
        });

        // The batch's dial jobs are created in the background: the queued calls get theirs, the blocked ones never do.
        var queued = await App.WaitForCallAsync(results[2].GetProperty("call_id").GetString()!, call => call.JobId is not null);
        await App.WaitForCallAsync(results[4].GetProperty("call_id").GetString()!, call => call.JobId is not null);
        var batch = await store.GetManyAsync(await store.GetBatchCallIdsAsync(queued.BatchId!, CancellationToken.None), CancellationToken.None);
        Assert.That(batch.Where(call => call.Status == CallStatus.Blocked).Select(call => call.JobId).ToList(), Has.Count.EqualTo(2).And.All.Null);
    }

    [Test]
    public async Task BulkQueue_DefaultExpiresAt_AppliesToItemsWithoutTheirOwn()
    {
        var batchDefault = DateTimeOffset.UtcNow.AddHours(5);
        var own = DateTimeOffset.UtcNow.AddHours(2);
        var body = $$"""
            {
              "expires_at": "{{Iso(batchDefault)}}",
              "calls": [ {{Call("+14155550408")}}, {{Call("+14155550409", extra: $"\"expires_at\": \"{Iso(own)}\"")}} ]
            }
            """;

        using var response = await PostAsync("/api/calls/bulk-queue", body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        var results = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results").EnumerateArray().ToList();
        var calls = await App.Service<ICallStore>().GetManyAsync(results.Select(r => r.GetProperty("call_id").GetString()!).ToList(), CancellationToken.None);
        Assert.That(calls.Select(call => call.ExpiresAt), Is.EqualTo(new DateTimeOffset?[] { Truncated(batchDefault), Truncated(own) }));
    }

    [Test]
    public async Task BulkQueue_DefaultExpiresAtBeforeAnItemsScheduledAt_RejectsThatItemNamingItsExpiresAt()
    {
        var body = $$"""
            {
              "expires_at": "{{Iso(DateTimeOffset.UtcNow.AddHours(1))}}",
              "calls": [ {{Call("+14155550410", extra: $"\"scheduled_at\": \"{Iso(DateTimeOffset.UtcNow.AddHours(2))}\"")}}, {{Call("+14155550411")}} ]
            }
            """;

        using var response = await PostAsync("/api/calls/bulk-queue", body);

        var results = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(results.Select(r => r.GetProperty("status").GetString()), Is.EqualTo(new[] { "rejected", "queued" }));
            Assert.That(results[0].GetProperty("errors").TryGetProperty("calls[0].expires_at", out _), Is.True, results[0].ToString());
        });
    }

    [TestCase("yesterday")]
    [TestCase("2020-01-01T00:00:00Z")]
    public async Task BulkQueue_BadDefaultExpiresAt_Returns400NamingExpiresAt(string expiresAt)
    {
        using var response = await PostAsync("/api/calls/bulk-queue", $$"""{ "expires_at": "{{expiresAt}}", "calls": [ {{Call("+14155550412")}} ] }""");

        await QueueCallApiTests.AssertValidationProblemAsync(response, "expires_at");
    }

    [Test]
    public async Task QueueAndBulkQueue_ListedNumbersWithWorkersOn_NeverReachPlivoWhileTheOthersAreDialed()
    {
        await using var app = CallQueueApp.WithRedis();
        using var client = app.Client();
        var sandbox = app.Service<PlivoSandbox>();
        const string BlockedSingle = "+14155550413", BlockedInBatch = "+14155550414", Single = "+14155550415", InBatch = "+14155550416";
        using (var listed = await PostAsync(client, "/api/dnc", $$"""{ "phone_numbers": ["{{BlockedSingle}}", "{{BlockedInBatch}}"] }"""))
        {
            Assert.That(listed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using var blockedResponse = await PostAsync(client, "/api/calls/queue", Call(BlockedSingle));
        var singleId = await DialingEndToEndTests.QueueAsync(app, Call(Single));
        using var bulkResponse = await PostAsync(client, "/api/calls/bulk-queue", $$"""{ "calls": [ {{Call(BlockedInBatch)}}, {{Call(InBatch)}} ] }""");
        var blockedId = (await blockedResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("call_id").GetString()!;
        var bulk = (await bulkResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results").EnumerateArray().ToList();

        // Both others placed at Plivo: their jobs ran, and the batch job went over the whole batch.
        await app.WaitForCallAsync(singleId, call => call.LastAttempt?.RequestUuid is not null);
        await app.WaitForCallAsync(bulk[1].GetProperty("call_id").GetString()!, call => call.LastAttempt?.RequestUuid is not null);

        var blocked = await app.Service<ICallStore>().GetManyAsync([blockedId, bulk[0].GetProperty("call_id").GetString()!], CancellationToken.None);
        var dialed = sandbox.GetRequests().Select(request => request.Fields.GetValueOrDefault("to")).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(dialed, Does.Contain(Single).And.Contain(InBatch));
            Assert.That(dialed, Does.Not.Contain(BlockedSingle).And.Not.Contain(BlockedInBatch), "no Plivo request for a listed number");
            Assert.That(blocked.Select(call => call.Status), Is.EqualTo(new[] { CallStatus.Blocked, CallStatus.Blocked }));
            Assert.That(blocked.Select(call => call.JobId), Is.All.Null);
            Assert.That(blocked.Select(call => call.Attempts.Count), Is.All.Zero);
        });
    }

    [Test]
    public async Task QueueStatus_CallingHoursOff_ListsEveryHoldReasonAtZero()
    {
        var status = await Client.GetFromJsonAsync<JsonElement>("/api/queue/status");

        var waiting = status.GetProperty("waiting_by_reason");
        Assert.That(
            waiting.EnumerateObject().Select(reason => (reason.Name, reason.Value.GetInt64())),
            Is.EquivalentTo(new[] { ("calling_hours", 0L), ("number_busy", 0L), ("number_gap", 0L), ("number_cap", 0L) }));
    }

    /// <summary>A call request: <paramref name="config"/> is a JSON object merged into call_config, <paramref name="extra"/> top-level members.</summary>
    internal static string Call(string phone, string campaign = "safety-tests", string? config = null, string? extra = null)
    {
        var configMembers = config is null ? string.Empty : "," + config.Trim()[1..^1];
        return "{" + (extra is null ? string.Empty : extra + ",")
            + $$"""
                "phone_number": "{{phone}}", "campaign_id": "{{campaign}}",
                "call_config": { "answer_url": "https://agent.example.com/answer"{{configMembers}} }
                }
                """;
    }

    internal static string Iso(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>What <see cref="Iso"/> keeps of an instant: whole seconds.</summary>
    private static DateTimeOffset Truncated(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private async Task ListAsync(string body)
    {
        using var response = await PostAsync("/api/dnc", body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    private Task<HttpResponseMessage> PostAsync(string path, string body) => PostAsync(Client, path, body);

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        return await client.PostAsync(new Uri(path, UriKind.Relative), content);
    }
}
