using CallQueue.Api.Hosting;
using CallQueue.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace CallQueue.Tests.Security;

/// <summary>In Production the service does not start without dashboard credentials or API keys: one clear line each.</summary>
[TestFixture]
public sealed class ProductionStartTests
{
    [Test]
    public async Task Start_ProductionWithoutDashboardCredentials_FailsWithOneClearLine()
    {
        var problems = await StartupProblemsAsync(new Dictionary<string, string?> { ["DASHBOARD_USERNAME"] = string.Empty, ["DASHBOARD_PASSWORD"] = string.Empty });

        Assert.That(problems, Is.EqualTo(new[] { "Dashboard credentials not found: set DASHBOARD_USERNAME and DASHBOARD_PASSWORD" }));
    }

    [Test]
    public async Task Start_ProductionWithoutApiKeys_FailsWithOneClearLine()
    {
        var problems = await StartupProblemsAsync(new Dictionary<string, string?> { ["API_KEYS"] = string.Empty });

        Assert.That(problems, Has.Count.EqualTo(1));
        Assert.That(problems[0], Does.StartWith("API_KEYS not set: "));
    }

    [Test]
    public async Task Start_PlivoTimeoutNotShortOfTheShutdownTimeout_FailsWithOneClearLine()
    {
        var problems = await StartupProblemsAsync(new() { ["PLIVO_TIMEOUT_SECONDS"] = "30" });

        Assert.That(problems, Is.EqualTo(new[] { "PLIVO_TIMEOUT_SECONDS must be between 1 and 20 (got 30): a request in flight at shutdown must end within the 25 s the dial workers get to finish" }));
    }

    [TestCase("PORT", "abc", "PORT must be a whole number (got 'abc')")]
    [TestCase("MAX_CONCURRENT_CALLS", "ten", "MAX_CONCURRENT_CALLS must be a whole number (got 'ten')")]
    [TestCase("RATE_LIMIT_PER_SECOND", "fast", "RATE_LIMIT_PER_SECOND must be a number (got 'fast')")]
    public async Task Start_ValueThatDoesNotBind_FailsWithOneLineNamingTheVariable(string name, string value, string expected)
    {
        var problems = await StartupProblemsAsync(new() { [name] = value });

        Assert.That(problems, Is.EqualTo(new[] { expected }));
    }

    /// <summary>Builds and starts the host as Program.cs does, in Production with everything required but <paramref name="missing"/>.</summary>
    private static Task<IReadOnlyList<string>> StartupProblemsAsync(Dictionary<string, string?> missing)
    {
        var port = FreePort.Next();
        var settings = new Dictionary<string, string?>
        {
            ["HOST"] = "127.0.0.1",
            ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["REDIS_URL"] = SharedRedis.Server.Url,
            ["REDIS_KEY_PREFIX"] = "t" + Guid.NewGuid().ToString("N")[..12],
            ["PUBLIC_BASE_URL"] = $"http://127.0.0.1:{port}",
            ["PLIVO_MODE"] = "sandbox",
            ["AGENT_SERVER_URL"] = "http://127.0.0.1:9",
            ["API_KEYS"] = "production-key-0123456789",
            ["DASHBOARD_USERNAME"] = "operator",
            ["DASHBOARD_PASSWORD"] = "operator-secret-1",
        };
        foreach (var (key, value) in missing)
        {
            settings[key] = value;
        }

        // Every step Program.cs runs inside its try: a value that does not bind fails while the services are registered.
        var failure = Assert.CatchAsync(
            async () =>
            {
                var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
                builder.Configuration.AddInMemoryCollection(settings);
                builder.AddCallQueueApi();
                await using var app = builder.Build();
                await app.StartAsync();
            },
            "the service must not start");
        return Task.FromResult<IReadOnlyList<string>>(StartupErrors.Describe(failure!) ?? [failure!.ToString()]);
    }
}
