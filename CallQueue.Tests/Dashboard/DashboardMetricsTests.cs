using System.Net;
using CallQueue.Tests.Support;

namespace CallQueue.Tests.Dashboard;

/// <summary>Hangfire keeps dashboard metrics in static lists: two apps in one process must each show their own numbers, once.</summary>
[TestFixture]
public sealed class DashboardMetricsTests
{
    [Test]
    public async Task HomePage_TwoAppsInOneProcess_EachShowsItsOwnCapOnce()
    {
        await using var first = CallQueueApp.InMemory(new Dictionary<string, string?> { ["QUEUE_WORKERS"] = "0", ["MAX_CONCURRENT_CALLS"] = "7" });
        await using var second = CallQueueApp.InMemory(new Dictionary<string, string?> { ["QUEUE_WORKERS"] = "0", ["MAX_CONCURRENT_CALLS"] = "9" });

        var firstHtml = await HomePageAsync(first);
        var secondHtml = await HomePageAsync(second);

        Assert.Multiple(() =>
        {
            Assert.That(firstHtml, Does.Contain("0 / 7").And.Not.Contain("0 / 9"));
            Assert.That(secondHtml, Does.Contain("0 / 9").And.Not.Contain("0 / 7"));
            Assert.That(Count(firstHtml, "data-metric=\"callqueue:active-calls\""), Is.EqualTo(1), "registered once, however many apps start");
        });
    }

    private static async Task<string> HomePageAsync(CallQueueApp app)
    {
        using var client = app.Client();
        using var response = await client.GetAsync(new Uri("/hangfire", UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return await response.Content.ReadAsStringAsync();
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;
}
