using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CallQueue.Tests.Support;

namespace CallQueue.Tests.Api;

/// <summary>
/// The seed's answers (issue 12, item 3): <c>queue_position</c> and <c>estimated_execution</c> on a single queue,
/// <c>total_calls</c>, <c>successful</c>, <c>failed</c> and per item <c>phone_number</c> and <c>error</c> on a bulk. No dial
/// workers, so every queued job stays enqueued and the positions are exact.
/// </summary>
[TestFixture]
public sealed class SeedAnswersApiTests : WorkersOffApiFixture
{
    private const double RatePerSecond = 5;

    // What the limiter grants at most: RATE_LIMIT_PER_SECOND / 1.06.
    private static readonly TimeSpan PerPosition = TimeSpan.FromSeconds(1.06 / RatePerSecond);

    protected override CallQueueApp CreateApp()
    {
        var settings = WorkersOff();
        settings["RATE_LIMIT_PER_SECOND"] = "5";
        return CallQueueApp.WithRedis(settings);
    }

    [Test]
    public async Task Queue_CallsQueuedOneAfterAnother_QueuePositionGrowsAndEstimateFollowsTheRate()
    {
        var before = DateTimeOffset.UtcNow;
        var first = await QueueAsync(QueueCallApiTests.ValidCall("+14155550123"));
        var second = await QueueAsync(QueueCallApiTests.ValidCall("+14155550124"));
        var third = await QueueAsync(QueueCallApiTests.ValidCall("+14155550125"));
        var after = DateTimeOffset.UtcNow;

        var position = first.GetProperty("queue_position").GetInt64();
        Assert.Multiple(() =>
        {
            Assert.That(second.GetProperty("queue_position").GetInt64(), Is.EqualTo(position + 1));
            Assert.That(third.GetProperty("queue_position").GetInt64(), Is.EqualTo(position + 2));
            Assert.That(
                third.GetProperty("estimated_execution").GetDateTimeOffset(),
                Is.InRange(before + (PerPosition * (position + 2)), after + (PerPosition * (position + 2))),
                "now + position / (RATE_LIMIT_PER_SECOND / 1.06)");
        });
    }

    [Test]
    public async Task Queue_UrgentCall_CountsOnlyTheUrgentQueueAhead()
    {
        await QueueAsync(QueueCallApiTests.ValidCall("+14155550126"));
        var urgentAhead = App.Service<Hangfire.JobStorage>().GetMonitoringApi().EnqueuedCount("urgent");

        var urgent = await QueueAsync(QueueCallApiTests.ValidCall("+14155550127", extra: "\"priority\": \"urgent\""));

        Assert.That(urgent.GetProperty("queue_position").GetInt64(), Is.EqualTo(urgentAhead + 1));
    }

    [Test]
    public async Task Queue_ScheduledCall_EstimatedExecutionIsItsScheduledAt()
    {
        var at = DateTimeOffset.UtcNow.AddHours(3);

        var call = await QueueAsync(QueueCallApiTests.ValidCall("+14155550128", extra: $"\"scheduled_at\": \"{at:O}\""));

        Assert.Multiple(() =>
        {
            Assert.That(call.GetProperty("status").GetString(), Is.EqualTo("scheduled"));
            Assert.That(call.GetProperty("estimated_execution").GetDateTimeOffset(), Is.EqualTo(at).Within(TimeSpan.FromMilliseconds(1)));
            Assert.That(call.GetProperty("queue_position").GetInt64(), Is.GreaterThanOrEqualTo(1));
        });
    }

    [Test]
    public async Task Queue_BlockedOrDuplicateCall_HasNoPositionNorEstimate()
    {
        using var listed = await Client.PostAsJsonAsync("/api/dnc", new { phone_numbers = new[] { "+14155550199" } });
        Assert.That(listed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var customId = "seed-dup-" + Guid.NewGuid().ToString("N")[..8];

        var blocked = await QueueAsync(QueueCallApiTests.ValidCall("+14155550199"));
        await QueueAsync(QueueCallApiTests.ValidCall("+14155550129", extra: $"\"custom_call_id\": \"{customId}\""));
        var duplicate = await QueueAsync(QueueCallApiTests.ValidCall("+14155550129", extra: $"\"custom_call_id\": \"{customId}\""), HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That(blocked.GetProperty("status").GetString(), Is.EqualTo("blocked"));
            Assert.That(blocked.GetProperty("queue_position").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(blocked.GetProperty("estimated_execution").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(duplicate.GetProperty("queue_position").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(duplicate.GetProperty("estimated_execution").ValueKind, Is.EqualTo(JsonValueKind.Null));
        });
    }

    [Test]
    public async Task BulkQueue_SeedCountsAndPerItemFields()
    {
        var body = $$"""
            { "calls": [
                {{QueueCallApiTests.ValidCall("+14155550130", extra: "\"priority\": \"low\"")}},
                { "phone_number": "+1415", "campaign_id": "c", "priority": "low", "call_config": { "answer_url": "https://a.example/x" } },
                null
            ] }
            """;

        using var response = await Client.PostAsync("/api/calls/bulk-queue", new StringContent(body, Encoding.UTF8, "application/json"));

        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        var items = result.GetProperty("results").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(result.GetProperty("total_calls").GetInt32(), Is.EqualTo(3));
            Assert.That(result.GetProperty("successful").GetInt32(), Is.EqualTo(1));
            Assert.That(result.GetProperty("failed").GetInt32(), Is.EqualTo(2));
            Assert.That(items[0].GetProperty("phone_number").GetString(), Is.EqualTo("+14155550130"));
            Assert.That(items[0].GetProperty("error").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(items[1].GetProperty("phone_number").GetString(), Is.EqualTo("+1415"));
            Assert.That(items[1].GetProperty("error").GetString(), Does.StartWith("calls[1].phone_number must be in E.164 format"));
            Assert.That(items[2].GetProperty("phone_number").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(items[2].GetProperty("error").GetString(), Is.EqualTo("calls[2]: A call object is required."));
        });
    }

    private async Task<JsonElement> QueueAsync(string body, HttpStatusCode expected = HttpStatusCode.Accepted)
    {
        using var response = await Client.PostAsync("/api/calls/queue", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(expected), text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
