using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Configuration;
using CallQueue.Jobs.Lifecycle;
using static CallQueue.Tests.Lifecycle.LifecycleSamples;

namespace CallQueue.Tests.Lifecycle;

/// <summary>Retry or not, and when, for every outcome: budget edges, doubling delays and their caps.</summary>
[TestFixture]
[Category("Unit")]
[Parallelizable(ParallelScope.All)]
public sealed class RetryPolicyTests
{
    private static readonly RetryPolicy Policy = new(TimeSpan.FromSeconds(300), TimeSpan.FromSeconds(30));

    [TestCase(CallOutcome.Busy)]
    [TestCase(CallOutcome.NoAnswer)]
    [TestCase(CallOutcome.Machine)]
    [TestCase(CallOutcome.NetworkError)]
    [TestCase(CallOutcome.ProviderError)]
    [TestCase(CallOutcome.Rejected)]
    [TestCase(CallOutcome.InvalidNumber)]
    public void RetryIn_RetryableOutcomeOnTheFirstAttempt_WaitsTheBaseDelay(CallOutcome outcome) =>
        Assert.That(Policy.RetryIn(Call(CallStatus.Ringing), 1, outcome, retryable: true, requestFailed: false), Is.EqualTo(TimeSpan.FromSeconds(300)));

    [TestCase(CallOutcome.Answered)]
    [TestCase(CallOutcome.Cancelled)]
    [TestCase(CallOutcome.Unknown)]
    public void RetryIn_AnsweredCancelledOrUnknown_NeverRetries(CallOutcome outcome) =>
        Assert.That(Policy.RetryIn(Call(CallStatus.Ringing), 1, outcome, retryable: true, requestFailed: false), Is.Null);

    [Test]
    public void RetryIn_NotRetryable_NeverRetries() =>
        Assert.That(Policy.RetryIn(Call(CallStatus.Ringing), 1, CallOutcome.InvalidNumber, retryable: false, requestFailed: false), Is.Null);

    [TestCase(0, 1, false)]
    [TestCase(2, 2, true)]
    [TestCase(2, 3, false)]
    [TestCase(5, 5, true)]
    [TestCase(5, 6, false)]
    public void RetryIn_BudgetOfOnePlusMaxRetries_RetriesUpToTheLastAttempt(int maxRetries, int attempt, bool retried) =>
        Assert.That(Policy.RetryIn(Call(CallStatus.Ringing) with { MaxRetries = maxRetries }, attempt, CallOutcome.Busy, true, false).HasValue, Is.EqualTo(retried));

    [Test]
    public void RetryIn_AfterAnOperatorsRequeue_CountsTheFreshBudgetFromTheOffset()
    {
        var requeued = Call(CallStatus.Queued) with { MaxRetries = 1, AttemptOffset = 4 };

        Assert.Multiple(() =>
        {
            Assert.That(Policy.RetryIn(requeued, 5, CallOutcome.Busy, true, false), Is.Not.Null, "attempt 5 of 6");
            Assert.That(Policy.RetryIn(requeued, 6, CallOutcome.Busy, true, false), Is.Null, "attempt 6 of 6");
        });
    }

    [TestCase(1, 300)]
    [TestCase(2, 600)]
    [TestCase(3, 1_200)]
    [TestCase(7, 19_200)]
    [TestCase(8, 21_600)]
    [TestCase(30, 21_600)]
    public void RetryIn_CallOutcome_DoublesPerAttemptUpToSixHours(int attempt, int seconds) =>
        Assert.That(Policy.RetryIn(Call(CallStatus.Ringing) with { MaxRetries = 40 }, attempt, CallOutcome.NoAnswer, true, false), Is.EqualTo(TimeSpan.FromSeconds(seconds)));

    [TestCase(1, 30)]
    [TestCase(2, 60)]
    [TestCase(7, 1_920)]
    [TestCase(8, 3_600)]
    [TestCase(30, 3_600)]
    public void RetryIn_RequestFailed_DoublesTheProviderDelayUpToOneHour(int attempt, int seconds) =>
        Assert.That(Policy.RetryIn(Call(CallStatus.Dialing) with { MaxRetries = 40 }, attempt, CallOutcome.ProviderError, true, requestFailed: true), Is.EqualTo(TimeSpan.FromSeconds(seconds)));

    [Test]
    public void RetryIn_CallsOwnRetryDelay_ReplacesTheDeploymentsForCallOutcomesOnly()
    {
        var call = Call(CallStatus.Ringing) with { Config = Call(CallStatus.Ringing).Config with { RetryDelaySeconds = 60 } };

        Assert.Multiple(() =>
        {
            Assert.That(Policy.RetryIn(call, 2, CallOutcome.Busy, true, requestFailed: false), Is.EqualTo(TimeSpan.FromSeconds(120)));
            Assert.That(Policy.RetryIn(call, 2, CallOutcome.ProviderError, true, requestFailed: true), Is.EqualTo(TimeSpan.FromSeconds(60)));
        });
    }

    [Test]
    public void From_QueueOptions_TakesBothBaseDelays()
    {
        var policy = RetryPolicy.From(new QueueOptions { RetryDelaySeconds = 10, ProviderRetryDelaySeconds = 3 });

        Assert.That(
            (policy.RetryIn(Call(CallStatus.Ringing), 1, CallOutcome.Busy, true, false), policy.RetryIn(Call(CallStatus.Dialing), 1, CallOutcome.ProviderError, true, true)),
            Is.EqualTo(((TimeSpan?)TimeSpan.FromSeconds(10), (TimeSpan?)TimeSpan.FromSeconds(3))));
    }
}
