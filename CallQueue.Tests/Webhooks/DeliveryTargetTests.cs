using CallQueue.Jobs.Webhooks;

namespace CallQueue.Tests.Webhooks;

[TestFixture]
[Category("Unit")]
[Parallelizable(ParallelScope.All)]
public sealed class DeliveryTargetTests
{
    [TestCase("https://user:pw@backend.example.com:8443/hooks/in?token=secret", "https://backend.example.com:8443/hooks/in")]
    [TestCase("not a url", "(an invalid URL)")]
    public void Describe_Url_DropsUserInfoAndQuery(string url, string shown) =>
        Assert.That(DeliveryTarget.Describe(url), Is.EqualTo(shown));
}
