using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CallQueue.Tests.Support;

namespace CallQueue.Tests.Security;

/// <summary>Development without API_KEYS: the API is open, and /api/health says so.</summary>
[TestFixture]
public sealed class OpenApiTests
{
    [Test]
    public async Task Api_WithoutApiKeys_IsOpenAndHealthWarns()
    {
        await using var app = CallQueueApp.InMemory(new Dictionary<string, string?> { ["QUEUE_WORKERS"] = "0" });
        using var client = app.Client();

        using var status = await client.GetAsync(new Uri("/api/queue/status", UriKind.Relative));
        using var refused = await client.GetAsync(new Uri("/api/queue/status?api_key=anything", UriKind.Relative));
        var health = await client.GetFromJsonAsync<JsonElement>("/api/health");

        Assert.Multiple(() =>
        {
            Assert.That(status.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "a key in a URL is refused even while the API is open");
            Assert.That(health.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()), Has.Some.StartsWith("API_KEYS is not set: the API is open"));
        });
    }
}
