using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CallQueue.Tests.Api;
using CallQueue.Tests.Support;

namespace CallQueue.Tests.Security;

/// <summary>API keys on the real server (Kestrel, loopback): which routes need one, which forms are taken, what a refusal says.</summary>
[TestFixture]
public sealed class ApiKeyTests : WorkersOffApiFixture
{
    private const string FirstKey = "first-key-0123456789abcdef";
    private const string SecondKey = "second-key-0123456789abcdef";
    private const string NamedKey = "named-key-0123456789abcdef";

    protected override CallQueueApp CreateApp()
    {
        var settings = WorkersOff();
        settings["API_KEYS"] = $" {FirstKey} , {SecondKey} , crm-backend:{NamedKey}";
        return CallQueueApp.InMemory(settings);
    }

    [Test]
    public async Task Api_WithoutKey_Returns401ProblemWithBearerChallenge()
    {
        using var response = await SendAsync(HttpMethod.Get, "/api/queue/status");

        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(response.Headers.WwwAuthenticate.Select(h => h.Scheme), Is.EqualTo(new[] { "Bearer" }));
            Assert.That(problem.GetProperty("title").GetString(), Is.EqualTo("API key required"));
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("X-API-Key").And.Contain("Authorization: Bearer"));
        });
    }

    [Test]
    public async Task Api_WrongKey_Returns401InvalidKey()
    {
        using var response = await SendAsync(HttpMethod.Get, "/api/queue/status", apiKey: FirstKey + "x");

        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(problem.GetProperty("title").GetString(), Is.EqualTo("Invalid API key"));
            Assert.That(problem.ToString(), Does.Not.Contain(FirstKey), "keys are never echoed");
        });
    }

    [Test]
    public async Task Api_KeyInXApiKeyHeader_IsAccepted()
    {
        using var response = await SendAsync(HttpMethod.Get, "/api/queue/status", apiKey: FirstKey);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Api_SecondKeyAsBearer_IsAccepted()
    {
        using var response = await SendAsync(HttpMethod.Get, "/api/queue/status", bearer: SecondKey);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Api_NamedKey_IsAcceptedByItsKeyAlone()
    {
        using var byKey = await SendAsync(HttpMethod.Get, "/api/queue/status", apiKey: NamedKey);
        using var byEntry = await SendAsync(HttpMethod.Get, "/api/queue/status", apiKey: $"crm-backend:{NamedKey}");

        Assert.Multiple(() =>
        {
            Assert.That(byKey.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(byEntry.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the name is not part of the key");
        });
    }

    [Test]
    public async Task Api_WrongKey_IsCountedInMetricsByReason()
    {
        using var refused = await SendAsync(HttpMethod.Get, "/api/calls/active", apiKey: "not-a-key-at-all-0123456789");
        using var scrape = await SendAsync(HttpMethod.Get, "/metrics");

        var metrics = await Operations.PrometheusTextParser.ParseAsync(await scrape.Content.ReadAsStringAsync());
        Assert.Multiple(() =>
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(
                Operations.MetricsApiTests.Value(metrics, "callqueue_authentication_failures_total", ("scheme", "api_key"), ("reason", "unknown_key")),
                Is.GreaterThanOrEqualTo(1));
        });
    }

    [Test]
    public async Task Api_QueueCallWithKey_IsAccepted()
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/calls/queue", apiKey: SecondKey, json: QueueCallApiTests.ValidCall("+14155550431"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
    }

    [TestCase("api_key")]
    [TestCase("apikey")]
    public async Task Api_KeyInQueryString_Returns401SayingToUseTheHeader(string name)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/api/queue/status?{name}={FirstKey}");

        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "refused even though the key is right");
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("not accepted in the query string").And.Contain("X-API-Key header"));
        });
    }

    [Test]
    public async Task Health_WithoutKey_StaysOpenAndCountsTheKeys()
    {
        using var response = await SendAsync(HttpMethod.Get, "/api/health");

        var health = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(health.GetProperty("checks").GetProperty("api_keys").GetProperty("detail").GetString(), Is.EqualTo("required on /api (3 keys configured)"));
            Assert.That(health.ToString(), Does.Not.Contain(FirstKey));
        });
    }

    [Test]
    public async Task PlivoCallback_WithoutKey_IsJudgedByItsSignatureNotByAKey()
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/plivo/hangup?call_id=x&attempt=1", form: "CallUUID=abc&CallStatus=completed");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "an unsigned callback is refused for its signature (403), not for a key");
    }

    [Test]
    public async Task CallResults_TakesTheSameKeys()
    {
        const string Result = """{ "call_id": "no-such-call", "call_outcome": "interested" }""";
        using var without = await SendAsync(HttpMethod.Post, "/api/calls/results", json: Result);
        using var with = await SendAsync(HttpMethod.Post, "/api/calls/results", bearer: FirstKey, json: Result);

        Assert.Multiple(() =>
        {
            Assert.That(without.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(with.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "past the key check: the call is unknown");
        });
    }

    [TestCase("/sandbox/control/requests")]
    [TestCase("/hangfire")]
    public async Task NonApiRoutes_WithoutKey_AreNotAskedForOne(string path)
    {
        using var response = await SendAsync(HttpMethod.Get, path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the sandbox is open, the dashboard has its own auth (local-only here)");
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? apiKey = null, string? bearer = null, string? json = null, string? form = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (apiKey is not null)
        {
            request.Headers.Add("X-API-Key", apiKey);
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        else if (form is not null)
        {
            request.Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded");
        }

        return await Client.SendAsync(request);
    }
}
