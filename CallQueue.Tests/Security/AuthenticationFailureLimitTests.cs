using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CallQueue.Tests.Dashboard;
using CallQueue.Tests.Support;

namespace CallQueue.Tests.Security;

/// <summary>Wrong credentials from one address are limited (AUTH_FAILURES_PER_MINUTE): past the limit even the right ones get 429.</summary>
[TestFixture]
public sealed class AuthenticationFailureLimitTests
{
    private const string Key = "limit-test-key-0123456789abcdef";

    [Test]
    public async Task WrongKeys_PastTheLimit_Answer429WithRetryAfterEvenForTheRightKey()
    {
        var settings = DashboardTestAccounts.Settings();
        settings["QUEUE_WORKERS"] = "0";
        settings["API_KEYS"] = Key;
        settings["AUTH_FAILURES_PER_MINUTE"] = "2";
        await using var app = CallQueueApp.InMemory(settings);
        using var client = app.Client();

        using var noKey = await SendAsync(client, "/api/queue/status", apiKey: null);
        using var first = await SendAsync(client, "/api/queue/status", apiKey: "wrong-1");
        using var second = await SendAsync(client, "/api/queue/status", apiKey: "wrong-2");
        using var right = await SendAsync(client, "/api/queue/status", apiKey: Key);
        using var dashboard = await SendAsync(client, "/hangfire", apiKey: null, basic: (DashboardTestAccounts.OperatorUser, DashboardTestAccounts.OperatorPassword));

        Assert.Multiple(() =>
        {
            Assert.That(noKey.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "a missing key is not a wrong one");
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(right.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(60)));
            Assert.That(dashboard.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "one limit per address, for both schemes");
        });
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string? apiKey, (string User, string Password)? basic = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (apiKey is not null)
        {
            request.Headers.Add("X-API-Key", apiKey);
        }

        if (basic is { } account)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{account.User}:{account.Password}")));
        }

        return await client.SendAsync(request);
    }
}
