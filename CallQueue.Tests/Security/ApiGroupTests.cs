using System.Net;
using CallQueue.Api.Hosting;
using CallQueue.Api.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;

namespace CallQueue.Tests.Security;

/// <summary>
/// The /api route group guards what is mapped on it with no code of its own: a throwaway endpoint added to the group of
/// the real app (in memory, no workers) needs a key like every other API route, while /api/health stays open.
/// </summary>
[TestFixture]
public sealed class ApiGroupTests
{
    private const string Key = "group-test-key-0123456789abcdef";

    [Test]
    public async Task ThrowawayEndpoint_OnTheApiGroup_NeedsAKeyWithoutCodeOfItsOwn()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Development",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["LOG_FILE"] = string.Empty,
            ["REDIS_URL"] = string.Empty,
            ["QUEUE_WORKERS"] = "0",
            ["PUBLIC_BASE_URL"] = "http://127.0.0.1:9",
            ["AGENT_SERVER_URL"] = string.Empty,
            ["PLIVO_AUTH_ID"] = string.Empty,
            ["PLIVO_AUTH_TOKEN"] = string.Empty,
            ["PLIVO_MODE"] = string.Empty,
            ["DASHBOARD_USERNAME"] = string.Empty,
            ["DASHBOARD_PASSWORD"] = string.Empty,
            ["API_KEYS"] = Key,
        });
        builder.AddCallQueueApi();
        await using var app = builder.Build();
        app.UseCallQueueApi();
        app.MapApiGroup().MapGet("/throwaway", () => "reached");
        await app.StartAsync();
        using var client = app.GetTestClient();

        using var without = await client.GetAsync(new Uri("/api/throwaway", UriKind.Relative));
        using var wrong = await SendWithKeyAsync(client, "/api/throwaway", Key + "x");
        using var with = await SendWithKeyAsync(client, "/api/throwaway", Key);
        using var health = await client.GetAsync(new Uri("/api/health", UriKind.Relative));

        var body = await with.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(without.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(without.Headers.WwwAuthenticate.Select(h => h.Scheme), Is.EqualTo(new[] { "Bearer" }));
            Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(with.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body, Is.EqualTo("reached"));
            Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK), "health is mapped outside the group, open");
        });
        await app.StopAsync();
    }

    private static async Task<HttpResponseMessage> SendWithKeyAsync(HttpClient client, string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add(ApiKeyAuthenticationHandler.HeaderName, key);
        return await client.SendAsync(request);
    }
}
