using System.Net.Http.Headers;
using CallQueue.Jobs.Webhooks;

namespace CallQueue.Tests.Webhooks;

[TestFixture]
[Category("Unit")]
[Parallelizable(ParallelScope.All)]
public sealed class DeliveryScheduleTests
{
    private static readonly IReadOnlyList<TimeSpan> Delays = WebhookDeliverySettings.DefaultRetryDelays;
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    [TestCase(1, 5)]
    [TestCase(2, 300)]
    [TestCase(7, 36_000)]
    [TestCase(9, 5, Description = "a redelivered event starts a new round")]
    public void DelayAfter_FailedTry_IsTheScheduleDelay(int tryNumber, int seconds) =>
        Assert.That(DeliverySchedule.DelayAfter(tryNumber, Delays, unit: 0.5), Is.EqualTo(TimeSpan.FromSeconds(seconds)));

    [TestCase(8)]
    [TestCase(16)]
    public void DelayAfter_LastTryOfARound_IsNone(int tryNumber) =>
        Assert.That(DeliverySchedule.DelayAfter(tryNumber, Delays, unit: 0.5), Is.Null);

    [Test]
    public void DelayAfter_Jitter_StaysWithinTenPercent() =>
        Assert.Multiple(() =>
        {
            Assert.That(DeliverySchedule.DelayAfter(2, Delays, unit: 0), Is.EqualTo(TimeSpan.FromSeconds(270)));
            Assert.That(DeliverySchedule.DelayAfter(2, Delays, unit: 0.999_999)!.Value.TotalSeconds, Is.EqualTo(330).Within(0.01));
        });

    [Test]
    public void RetryAfter_SecondsDateAndAbsent_AreReadAndCapped() =>
        Assert.Multiple(() =>
        {
            Assert.That(DeliverySchedule.RetryAfter(new RetryConditionHeaderValue(TimeSpan.FromSeconds(90)), Now, TimeSpan.FromHours(24)), Is.EqualTo(TimeSpan.FromSeconds(90)));
            Assert.That(DeliverySchedule.RetryAfter(new RetryConditionHeaderValue(Now.AddMinutes(10)), Now, TimeSpan.FromHours(24)), Is.EqualTo(TimeSpan.FromMinutes(10)));
            Assert.That(DeliverySchedule.RetryAfter(new RetryConditionHeaderValue(Now.AddMinutes(-10)), Now, TimeSpan.FromHours(24)), Is.EqualTo(TimeSpan.Zero));
            Assert.That(DeliverySchedule.RetryAfter(new RetryConditionHeaderValue(TimeSpan.FromDays(30)), Now, TimeSpan.FromHours(24)), Is.EqualTo(TimeSpan.FromHours(24)));
            Assert.That(DeliverySchedule.RetryAfter(null, Now, TimeSpan.FromHours(24)), Is.Null);
        });
}
