using System.Globalization;
using System.Net;
using CallQueue.Api.Sandbox;
using CallQueue.Jobs.Calls;
using CallQueue.Tests.Operators;
using CallQueue.Tests.Support;
using Hangfire;

namespace CallQueue.Tests.Safety;

/// <summary>
/// Callee safety from the outside (issue 11): the whole service on a real redis-server, Plivo's sandbox over loopback.
/// Nothing here depends on the hour the suite runs at: the closed window is computed from the clock.
/// </summary>
[TestFixture]
[Category("Redis")]
public sealed class CalleeSafetyEndToEndTests
{
    [Test]
    public async Task NumberWhoseLocalTimeIsOutsideItsWindow_GetsNoPlivoRequestAndShowsWhenItWillDial()
    {
        var kolkata = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata");
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, kolkata);
        var (start, end) = local.Hour >= 21 ? (1, 2) : (local.Hour + 2, local.Hour + 3);
        var hours = string.Create(CultureInfo.InvariantCulture, $"{start:D2}:00-{end:D2}:00");
        await using var app = CallQueueApp.WithRedis(new Dictionary<string, string?> { ["CALLING_HOURS"] = hours });
        const string Phone = "+919123456701";

        var callId = await OperatorTestCalls.QueueAsync(app, Phone, "night-owls");
        var call = await app.WaitForCallAsync(callId, c => c.Hold is not null);
        await OperatorTestCalls.WaitForJobStateAsync(app, call.JobId!, "Scheduled");

        var opening = new DateTimeOffset(local.Date, kolkata.BaseUtcOffset).AddHours(start);
        opening = opening > DateTimeOffset.UtcNow ? opening : opening.AddDays(1);
        var state = app.Service<JobStorage>().GetConnection().GetStateData(call.JobId);
        Assert.Multiple(() =>
        {
            Assert.That(call.Status, Is.EqualTo(CallStatus.Scheduled));
            Assert.That(call.NextAttemptAt, Is.EqualTo(opening));
            Assert.That(call.StatusReason, Is.EqualTo(string.Create(
                CultureInfo.InvariantCulture, $"Outside calling hours in Asia/Kolkata ({start:D2}:00–{end:D2}:00): dials from {opening.ToOffset(kolkata.BaseUtcOffset):yyyy-MM-dd HH:mm} +05:30")));
            Assert.That(call.Attempts, Is.Empty);
            Assert.That(state.Reason, Is.EqualTo(call.StatusReason), "the dashboard's Scheduled page says why and until when");
            Assert.That(app.Service<PlivoSandbox>().GetRequests().Where(r => r.Fields["to"] == Phone), Is.Empty);
        });
    }

    [Test]
    public async Task NumberListedBetweenQueueAndDial_IsBlockedAtDialTimeWithoutAPlivoRequest()
    {
        await using var app = CallQueueApp.WithRedis();
        const string Phone = "+14155550161";
        var callId = await OperatorTestCalls.QueueAsync(app, Phone, "spring", extra: $"\"scheduled_at\": \"{DateTimeOffset.UtcNow.AddSeconds(3):O}\"");

        var (status, _) = await OperatorTestCalls.PostAsync(app, "/api/dnc", $$"""{"phone_numbers": ["{{Phone}}"], "reason": "asked to stop"}""");
        var call = await app.WaitForCallAsync(callId, c => c.Status.IsTerminal());
        await OperatorTestCalls.WaitForJobStateAsync(app, call.JobId!, "Deleted");

        var state = app.Service<JobStorage>().GetConnection().GetStateData(call.JobId);
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(call.Status, Is.EqualTo(CallStatus.Blocked));
            Assert.That(call.StatusReason, Does.StartWith("Blocked: on the do-not-call list for every campaign (reason: asked to stop; added by api at "));
            Assert.That(call.Attempts, Is.Empty);
            Assert.That(state.Reason, Is.EqualTo(call.StatusReason));
            Assert.That(app.Service<PlivoSandbox>().GetRequests().Where(r => r.Fields["to"] == Phone), Is.Empty);
        });
    }

    [Test]
    public async Task ThreeCampaignsCallingOnePerson_NeverRingThemTwiceAtOnce()
    {
        await using var app = CallQueueApp.WithRedis(new Dictionary<string, string?>
        {
            ["ONE_CALL_PER_NUMBER"] = "on",
            ["NUMBER_MIN_GAP_SECONDS"] = "1",
            ["SANDBOX_TALK_SECONDS"] = "2",
        });
        const string Phone = "+14155550162";

        var callIds = await Task.WhenAll(new[] { "spring", "summer", "autumn" }.Select(campaign => OperatorTestCalls.QueueAsync(app, Phone, campaign)));
        var calls = new List<CallRecord>();
        foreach (var callId in callIds)
        {
            calls.Add(await app.WaitForCallAsync(callId, c => c.Status == CallStatus.Completed, TimeSpan.FromSeconds(60)));
        }

        var placed = app.Service<PlivoSandbox>().GetCalls().Where(c => c.To == Phone.TrimStart('+') || c.To == Phone).OrderBy(c => c.InitiatedAt).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(placed, Has.Count.EqualTo(3), "each campaign's call placed once");
            for (var i = 1; i < placed.Count; i++)
            {
                Assert.That(placed[i].InitiatedAt, Is.GreaterThanOrEqualTo(placed[i - 1].EndAt!.Value.AddSeconds(1)), "the next call starts only after the previous one ended, plus the gap");
            }

            Assert.That(calls.SelectMany(c => c.Decisions ?? []).Select(d => d.Rule), Has.Some.EqualTo(SafetyRule.NumberBusy).Or.Some.EqualTo(SafetyRule.NumberGap));
            Assert.That(calls.Select(c => c.Attempts.Count), Is.All.EqualTo(1), "waiting used no attempt");
        });
    }
}
