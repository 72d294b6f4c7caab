using System.Net;
using CallQueue.Tests.Support;

namespace CallQueue.Tests.Security;

/// <summary>
/// A Production rehearsal with the built-in sandbox (PLIVO_MODE=sandbox): its control endpoints, which reset it and inject
/// faults, need an API key like /api; the simulated Plivo REST API keeps its own (Plivo's) Basic auth.
/// </summary>
[TestFixture]
public sealed class SandboxControlGuardTests
{
    private const string Key = "rehearsal-key-0123456789";

    [Test]
    public async Task ProductionRehearsal_SandboxControl_NeedsAnApiKey()
    {
        await using var app = CallQueueApp.WithRedis(new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["QUEUE_WORKERS"] = "0",
            ["PLIVO_MODE"] = "sandbox",
            ["AGENT_SERVER_URL"] = "http://127.0.0.1:9",
            ["API_KEYS"] = Key,
            ["DASHBOARD_USERNAME"] = "operator",
            ["DASHBOARD_PASSWORD"] = "operator-secret-1",
        });
        using var client = app.Client();

        using var anonymous = await client.PostAsync(new Uri("/sandbox/control/reset", UriKind.Relative), content: null);
        using var withKey = new HttpRequestMessage(HttpMethod.Post, "/sandbox/control/reset");
        withKey.Headers.Add("X-API-Key", Key);
        using var allowed = await client.SendAsync(withKey);

        Assert.Multiple(() =>
        {
            Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "nobody resets a rehearsal without a key");
            Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        });
    }

    [Test]
    public async Task Development_SandboxControl_IsOpenForTestsAndDemos()
    {
        await using var app = CallQueueApp.InMemory(new Dictionary<string, string?> { ["QUEUE_WORKERS"] = "0", ["API_KEYS"] = Key });
        using var client = app.Client();

        using var response = await client.PostAsync(new Uri("/sandbox/control/reset", UriKind.Relative), content: null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
    }
}
