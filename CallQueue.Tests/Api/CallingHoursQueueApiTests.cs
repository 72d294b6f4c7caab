using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Storage;
using CallQueue.Tests.Support;
using Hangfire;
using Hangfire.Common;
using static CallQueue.Tests.Api.QueueSafetyApiTests;

namespace CallQueue.Tests.Api;

/// <summary>
/// Calls queued while their calling hours are closed (issue 11), workers off. CALLING_HOURS is one hour that opens three
/// hours after the fixture starts (so it is closed now, whatever the hour the suite runs at), and the calls carry
/// call_config.timezone Etc/UTC, so the opening is known to the minute.
/// </summary>
[TestFixture]
public sealed class CallingHoursQueueApiTests : WorkersOffApiFixture
{
    private const string Utc = """{"timezone":"Etc/UTC"}""";

    private static readonly DateTimeOffset FixtureStart = DateTimeOffset.UtcNow;

    /// <summary>The next opening of <see cref="Window"/>: the top of the hour three hours on.</summary>
    private static readonly DateTimeOffset Opening =
        new DateTimeOffset(FixtureStart.Year, FixtureStart.Month, FixtureStart.Day, FixtureStart.Hour, 0, 0, TimeSpan.Zero).AddHours(3);

    private static readonly string Window = string.Create(CultureInfo.InvariantCulture, $"{Opening.Hour:D2}:00-{Opening.Hour + 1:D2}:00");

    protected override CallQueueApp CreateApp() => CallQueueApp.WithRedis(new Dictionary<string, string?>
    {
        ["QUEUE_WORKERS"] = "0",
        ["CALLING_HOURS"] = Window,
        ["LEGAL_CALLING_HOURS"] = "off",
    });

    [Test]
    public async Task Queue_OutsideCallingHours_Returns202ScheduledUntilTheOpeningWithTheReasonAndAScheduledJob()
    {
        using var response = await PostAsync("/api/calls/queue", Call("+14155550421", config: Utc));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var call = await App.Service<ICallStore>().GetAsync(body.GetProperty("call_id").GetString()!, CancellationToken.None);
        var expectedReason = string.Create(
            CultureInfo.InvariantCulture,
            $"Outside calling hours in Etc/UTC ({Opening.Hour:D2}:00–{Opening.Hour + 1:D2}:00): dials from {Opening:yyyy-MM-dd HH:mm} +00:00");
        var job = App.Service<JobStorage>().GetConnection().GetJobData(call!.JobId);
        var state = App.Service<JobStorage>().GetConnection().GetStateData(call.JobId);
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("scheduled"));
            Assert.That(body.GetProperty("status_reason").GetString(), Is.EqualTo(expectedReason));
            Assert.That(body.GetProperty("next_attempt_at").GetDateTimeOffset(), Is.EqualTo(Opening));
            Assert.That(body.GetProperty("estimated_execution").GetDateTimeOffset(), Is.EqualTo(Opening), "the seed's estimate of a held call: its hold's opening");
            Assert.That(body.GetProperty("message").GetString(), Is.EqualTo("Call scheduled: " + expectedReason));
            Assert.That(call.Status, Is.EqualTo(CallStatus.Scheduled));
            Assert.That(call.StatusReason, Is.EqualTo(expectedReason));
            Assert.That(call.NextAttemptAt, Is.EqualTo(Opening));
            Assert.That(call.Hold, Is.EqualTo(new CallHold(SafetyRule.CallingHours, Opening)));
            Assert.That(call.Decisions!.Single().Rule, Is.EqualTo(SafetyRule.CallingHours));
            Assert.That(call.Decisions!.Single().Said, Is.EqualTo(expectedReason));
            Assert.That(job.State, Is.EqualTo("Scheduled"), "parked once until the opening, not enqueued");
            Assert.That(state.Reason, Is.EqualTo(expectedReason), "the dashboard shows why it waits");
            Assert.That(JobHelper.DeserializeDateTime(state.Data["EnqueueAt"]), Is.EqualTo(Opening.UtcDateTime));
        });
    }

    [Test]
    public async Task Queue_ScheduledAtInsideTheWindow_IsScheduledForItsTimeWithoutAHold()
    {
        var scheduledAt = Opening.AddMinutes(30);

        using var response = await PostAsync("/api/calls/queue", Call("+14155550422", config: Utc, extra: $"\"scheduled_at\": \"{Iso(scheduledAt)}\""));

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var call = await App.Service<ICallStore>().GetAsync(body.GetProperty("call_id").GetString()!, CancellationToken.None);
        var state = App.Service<JobStorage>().GetConnection().GetStateData(call!.JobId);
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("scheduled"));
            Assert.That(call.Hold, Is.Null, "calling hours are checked at scheduled_at, when the window is open");
            Assert.That(call.StatusReason, Is.EqualTo("Waiting for its scheduled_at"));
            Assert.That(state.Name, Is.EqualTo("Scheduled"));
            Assert.That(JobHelper.DeserializeDateTime(state.Data["EnqueueAt"]), Is.EqualTo(scheduledAt.UtcDateTime));
        });
    }

    [Test]
    public async Task Queue_ExpiresBeforeTheOpening_IsHeldUntilItsDeadline()
    {
        var expiresAt = FixtureStart.AddHours(1);

        using var response = await PostAsync("/api/calls/queue", Call("+14155550423", config: Utc, extra: $"\"expires_at\": \"{Iso(expiresAt)}\""));

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("scheduled"));
            Assert.That(body.GetProperty("next_attempt_at").GetDateTimeOffset(), Is.EqualTo(DateTimeOffset.Parse(Iso(expiresAt), CultureInfo.InvariantCulture)));
            Assert.That(body.GetProperty("status_reason").GetString(), Does.Contain("do not open again before its expires_at"));
        });
    }

    [Test]
    public async Task Queue_CallingWindowThatNeverMeetsTheDeploymentsHours_Returns400NamingCallConfigCallingWindowAndStoresNothing()
    {
        var customId = "never-" + Guid.NewGuid().ToString("N");
        var config = """{"timezone":"Etc/UTC","calling_window":{"start":"HH:00","end":"HH:30"}}""".Replace("HH", DisjointHour, StringComparison.Ordinal);

        using var response = await PostAsync("/api/calls/queue", Call("+14155550424", config: config, extra: $"\"custom_call_id\": \"{customId}\""));

        var text = await response.Content.ReadAsStringAsync();
        await QueueCallApiTests.AssertValidationProblemAsync(response, "call_config.calling_window");
        Assert.That(text, Does.Contain("call_config.calling_window leaves no time at which the call may be dialed"));
        Assert.That(await App.Service<ICallStore>().GetAsync(customId, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Queue_ListedNumberOutsideCallingHours_IsBlockedNotHeld()
    {
        (await PostAsync("/api/dnc", """{ "phone_numbers": ["+14155550425"] }""")).Dispose();

        using var response = await PostAsync("/api/calls/queue", Call("+14155550425", config: Utc));

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("blocked"));
            Assert.That(body.TryGetProperty("next_attempt_at", out _), Is.False);
        });
    }

    [Test]
    public async Task BulkQueue_OutsideCallingHours_ItemsQueuedHeldWithTheirReasonAndTheWindowThatNeverOpensRejected()
    {
        var never = """{"timezone":"Etc/UTC","calling_window":{"start":"HH:00","end":"HH:30"}}""".Replace("HH", DisjointHour, StringComparison.Ordinal);
        var body = $$"""{ "calls": [ {{Call("+14155550426", config: Utc)}}, {{Call("+14155550427", config: never)}} ] }""";

        using var response = await PostAsync("/api/calls/bulk-queue", body);

        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        var results = result.GetProperty("results").EnumerateArray().ToList();
        var held = await App.WaitForCallAsync(results[0].GetProperty("call_id").GetString()!, call => call.JobId is not null);
        Assert.Multiple(() =>
        {
            Assert.That(results.Select(r => r.GetProperty("status").GetString()), Is.EqualTo(new[] { "queued", "rejected" }));
            Assert.That(results[0].GetProperty("status_reason").GetString(), Does.StartWith("Outside calling hours in Etc/UTC"));
            Assert.That(results[1].GetProperty("errors").TryGetProperty("calls[1].call_config.calling_window", out _), Is.True, results[1].ToString());
            Assert.That(held.Hold, Is.EqualTo(new CallHold(SafetyRule.CallingHours, Opening)));
            Assert.That(App.Service<JobStorage>().GetConnection().GetJobData(held.JobId).State, Is.EqualTo("Scheduled"));
        });
    }

    [Test]
    public async Task QueueStatus_CallsHeldOutsideCallingHours_CountedUnderCallingHours()
    {
        var before = await WaitingAsync();
        (await PostAsync("/api/calls/queue", Call("+14155550428", config: Utc))).Dispose();
        (await PostAsync("/api/calls/queue", Call("+14155550429", config: Utc))).Dispose();

        var after = await WaitingAsync();

        Assert.Multiple(() =>
        {
            Assert.That(after["calling_hours"] - before["calling_hours"], Is.EqualTo(2));
            Assert.That(after.Keys, Is.EquivalentTo(new[] { "calling_hours", "number_busy", "number_gap", "number_cap" }));
        });
    }

    /// <summary>Half an hour of a day that never meets <see cref="Window"/>.</summary>
    private static string DisjointHour => Opening.Hour >= 12 ? "00" : "22";

    private async Task<Dictionary<string, long>> WaitingAsync()
    {
        var status = await Client.GetFromJsonAsync<JsonElement>("/api/queue/status");
        return status.GetProperty("waiting_by_reason").EnumerateObject().ToDictionary(reason => reason.Name, reason => reason.Value.GetInt64());
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        return await Client.PostAsync(new Uri(path, UriKind.Relative), content);
    }
}
