using CallQueue.Api.Dashboard;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Dialing;
using CallQueue.Jobs.Storage;
using CallQueue.Jobs.Webhooks;
using Hangfire.Common;
using Microsoft.Extensions.Time.Testing;

namespace CallQueue.Tests.Dashboard;

[TestFixture]
public sealed class DashboardJobNamesTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);

    [Test]
    public void Describe_WaitingForItsSecondAttempt_NamesTheNextAttemptOfTheBudget() =>
        Assert.That(
            DashboardJobNames.Describe(Call(CallStatus.Retry, maxRetries: 3, Attempt(1, CallOutcome.Busy))),
            Is.EqualTo("Dial +91••••••3210 · campaign-123 · attempt 2/4"));

    [Test]
    public void Describe_HeldByCalleeSafety_SaysWhichRuleAndUntilWhen() =>
        Assert.That(
            DashboardJobNames.Describe(Call(CallStatus.Scheduled, maxRetries: 3) with
            {
                Hold = new CallHold(SafetyRule.CallingHours, new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.FromHours(5.5))),
            }),
            Does.EndWith(" · attempt 1/4 · held: calling hours until 2026-12-07 03:30 UTC"));

    [Test]
    public void Describe_FailedAfterItsLastAttempt_NamesThatAttempt() =>
        Assert.That(
            DashboardJobNames.Describe(Call(CallStatus.Failed, maxRetries: 1, Attempt(1, CallOutcome.NoAnswer), Attempt(2, CallOutcome.NoAnswer))),
            Is.EqualTo("Dial +91••••••3210 · campaign-123 · attempt 2/2"));

    [Test]
    public void Describe_Ringing_NamesTheAttemptInFlight() =>
        Assert.That(
            DashboardJobNames.Describe(Call(CallStatus.Ringing, maxRetries: 3, Attempt(1, outcome: null))),
            Is.EqualTo("Dial +91••••••3210 · campaign-123 · attempt 1/4"));

    [Test]
    public void Describe_Requeued_CountsTheFreshBudgetAfterTheHistory() =>
        Assert.That(
            DashboardJobNames.Describe(Call(CallStatus.Queued, maxRetries: 0, Attempt(1, CallOutcome.Busy)) with { AttemptOffset = 1 }),
            Is.EqualTo("Dial +91••••••3210 · campaign-123 · attempt 2/2"));

    [Test]
    public void Describe_CancelledBeforeDialing_SaysSo() =>
        Assert.That(DashboardJobNames.Describe(Call(CallStatus.Cancelled, maxRetries: 3)), Is.EqualTo("Dial +91••••••3210 · campaign-123 · not dialed (cancelled)"));

    /// <summary>The dial job's signature since issue 15, and the one jobs stored before it still run with.</summary>
    private static IEnumerable<TestCaseData> DialJobs()
    {
        yield return new TestCaseData(Job.FromExpression<DialCallJob>(dial => dial.DialAsync("call-1"))).SetArgDisplayNames("DialAsync");
        yield return new TestCaseData(Job.FromExpression<DialCallJob>(dial => dial.ExecuteAsync("call-1", null, CancellationToken.None))).SetArgDisplayNames("ExecuteAsync");
    }

    [TestCaseSource(nameof(DialJobs))]
    public async Task For_DialJob_ReadsTheCallAndKeepsTheNameAFewSeconds(Job job)
    {
        var time = new FakeTimeProvider(Now);
        var store = new InMemoryCallStore(time);
        await store.CreateAsync([Call(CallStatus.Queued, maxRetries: 3)], CancellationToken.None);
        var names = new DashboardJobNames(store, time);

        var first = names.For(job);
        await store.UpdateAsync("call-1", call => call with { Status = CallStatus.Retry, Attempts = [Attempt(1, CallOutcome.Busy)] }, CancellationToken.None);
        var cached = names.For(job);
        time.Advance(TimeSpan.FromSeconds(6));
        var fresh = names.For(job);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo("Dial +91••••••3210 · campaign-123 · attempt 1/4"));
            Assert.That(cached, Is.EqualTo(first));
            Assert.That(fresh, Is.EqualTo("Dial +91••••••3210 · campaign-123 · attempt 2/4"));
        });
    }

    [TestCaseSource(nameof(DialJobs))]
    public void For_DialJobOfAMissingCall_FallsBackToTheCallId(Job job)
    {
        var time = new FakeTimeProvider(Now);
        var names = new DashboardJobNames(new InMemoryCallStore(time), time);

        var name = names.For(job);

        Assert.That(name, Is.EqualTo("Dial call call-1 (no call record)"));
    }

    [Test]
    public void Describe_WebhookPendingAfterTwoTries_NamesTheTryItMakesNext() =>
        Assert.That(DashboardJobNames.Describe(Webhook(WebhookEventStatus.Pending, tries: 2)), Is.EqualTo("Webhook call.completed · call_1 · try 3"));

    [Test]
    public void Describe_WebhookGone_NamesItsLastTryAndHowItEnded() =>
        Assert.That(DashboardJobNames.Describe(Webhook(WebhookEventStatus.Gone, tries: 1)), Is.EqualTo("Webhook call.completed · call_1 · try 1 · gone"));

    [Test]
    public async Task For_DeliveryJob_ReadsTheEventAndKeepsTheNameAFewSeconds()
    {
        var time = new FakeTimeProvider(Now);
        var outbox = new InMemoryWebhookOutbox(time);
        await outbox.AddAsync(Webhook(WebhookEventStatus.Pending, tries: 0), CancellationToken.None);
        var names = new DashboardJobNames(new InMemoryCallStore(time), time, outbox);
        var job = Job.FromExpression<DeliverWebhookJob>(deliver => deliver.RunAsync("evt_1", null, CancellationToken.None));

        var first = names.For(job);
        await outbox.RecordTryAsync("evt_1", new WebhookDeliveryTry(Now, 1, 500, 12, "500 Internal Server Error"), WebhookEventStatus.Pending, CancellationToken.None);
        var cached = names.For(job);
        var onItsOwnPage = names.For(job, fresh: true);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo("Webhook call.completed · call_1 · try 1"));
            Assert.That(cached, Is.EqualTo(first));
            Assert.That(onItsOwnPage, Is.EqualTo("Webhook call.completed · call_1 · try 2"));
        });
    }

    [Test]
    public void For_DeliveryJobOfAMissingEventOrAFailingOutbox_FallsBackToTheEventId()
    {
        var time = new FakeTimeProvider(Now);
        var job = Job.FromExpression<DeliverWebhookJob>(deliver => deliver.RunAsync("evt_1", null, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(new DashboardJobNames(new InMemoryCallStore(time), time, new InMemoryWebhookOutbox(time)).For(job), Is.EqualTo("Webhook event evt_1 (no event record)"));
            Assert.That(new DashboardJobNames(new InMemoryCallStore(time), time, new FailingOutbox()).For(job), Is.EqualTo("Webhook event evt_1"));
            Assert.That(new DashboardJobNames(new InMemoryCallStore(time), time).For(job), Is.EqualTo("Webhook event evt_1"));
        });
    }

    private static WebhookEvent Webhook(WebhookEventStatus status, int tries) => new()
    {
        Id = "evt_1",
        Type = WebhookEventTypes.Completed,
        CallId = "call_1",
        Sequence = 1,
        CreatedAt = Now,
        Url = "https://backend.example.com/hooks",
        Body = "{}",
        Status = status,
        Deliveries = [.. Enumerable.Range(1, tries).Select(n => new WebhookDeliveryTry(Now, n, 500, 10, "500 Internal Server Error"))],
    };

    private static CallRecord Call(CallStatus status, int maxRetries, params CallAttempt[] attempts) => new()
    {
        CallId = "call-1",
        PhoneNumber = "+919876543210",
        CampaignId = "campaign-123",
        Config = new CallConfig { AnswerUrl = "https://agent.example.com/answer" },
        Status = status,
        MaxRetries = maxRetries,
        Attempts = attempts,
    };

    private static CallAttempt Attempt(int number, CallOutcome? outcome) =>
        new() { Number = number, StartedAt = Now.AddMinutes(-number), Outcome = outcome };

    /// <summary>An outbox whose storage does not answer.</summary>
    private sealed class FailingOutbox : IWebhookOutbox
    {
        public Task<WebhookEvent?> GetAsync(string eventId, CancellationToken cancellationToken) => throw new TimeoutException("outbox down");

        public Task<IReadOnlyList<WebhookEvent>> GetForCallAsync(string callId, CancellationToken cancellationToken) => throw new TimeoutException("outbox down");

        public Task<bool> AddAsync(WebhookEvent webhookEvent, CancellationToken cancellationToken) => throw new TimeoutException("outbox down");

        public Task RecordTryAsync(string eventId, WebhookDeliveryTry delivery, WebhookEventStatus status, CancellationToken cancellationToken) =>
            throw new TimeoutException("outbox down");

        public Task<bool> ResetAsync(string eventId, CancellationToken cancellationToken) => throw new TimeoutException("outbox down");

        public Task<IReadOnlyList<string>> GetPendingAsync(TimeSpan olderThan, int limit, CancellationToken cancellationToken) => throw new TimeoutException("outbox down");

        public Task<long> CountPendingAsync(CancellationToken cancellationToken) => throw new TimeoutException("outbox down");

        public Task<IReadOnlyList<WebhookEvent>> FindAsync(DateTimeOffset since, DateTimeOffset until, int limit, CancellationToken cancellationToken) =>
            throw new TimeoutException("outbox down");

        public Task MarkGoneAsync(string url, DateTimeOffset at, CancellationToken cancellationToken) => throw new TimeoutException("outbox down");

        public Task<IReadOnlyDictionary<string, DateTimeOffset>> GetGoneAsync(CancellationToken cancellationToken) => throw new TimeoutException("outbox down");

        public Task MarkDispatchedAsync(IReadOnlyList<string> eventIds, CancellationToken cancellationToken) => throw new TimeoutException("outbox down");

        public Task ClearGoneAsync(string url, CancellationToken cancellationToken) => throw new TimeoutException("outbox down");

        public Task<bool> IsAwaitingJobAsync(string eventId, CancellationToken cancellationToken) => throw new TimeoutException("outbox down");
    }
}
