using CallQueue.Jobs.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace CallQueue.Tests.Webhooks;

/// <summary>BACKEND_URL, BACKEND_API_KEY, WEBHOOK_SECRET, WEBHOOK_ALLOWED_HOSTS, WEBHOOK_RETRY_DELAYS: defaults, parsing, one line per bad variable.</summary>
[TestFixture]
[Category("Unit")]
[Parallelizable(ParallelScope.All)]
public sealed class WebhookOptionsValidatorTests
{
    // 32 and 24 bytes; made for these tests only.
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string NextSecret = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    [Test]
    public void Defaults_WebhooksOffWithTheStandardRetrySchedule()
    {
        var options = Resolve([]);

        Assert.Multiple(() =>
        {
            Assert.That(options.IsEnabled, Is.False);
            Assert.That(options.BackendUrl, Is.Null);
            Assert.That(options.ApiKey, Is.Null);
            Assert.That(options.SecretKeys, Is.Empty);
            Assert.That(options.AllowedHosts, Is.Empty);
            Assert.That(options.IsAllowed(new Uri("https://backend.example.com/hooks")), Is.False);
            Assert.That(options.RetryDelays, Is.EqualTo(new[]
            {
                TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
                TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
            }));
        });
    }

    [Test]
    public void EmptyValues_AreNotSet()
    {
        var options = Resolve(new()
        {
            ["BACKEND_URL"] = "", ["BACKEND_API_KEY"] = " ", ["WEBHOOK_SECRET"] = "", ["WEBHOOK_ALLOWED_HOSTS"] = "", ["WEBHOOK_RETRY_DELAYS"] = "",
        });

        Assert.Multiple(() =>
        {
            Assert.That(options.IsEnabled, Is.False);
            Assert.That(options.ApiKey, Is.Null);
            Assert.That(options.RetryDelays, Has.Count.EqualTo(7));
        });
    }

    [Test]
    public void Settings_AreRead()
    {
        var options = Resolve(new()
        {
            ["BACKEND_URL"] = "https://Backend.Example.com:8443/api/call-events",
            ["BACKEND_API_KEY"] = "backend-key-123",
            ["WEBHOOK_SECRET"] = Secret,
            ["WEBHOOK_RETRY_DELAYS"] = "10s, 1m,1H",
        });

        Assert.Multiple(() =>
        {
            Assert.That(options.IsEnabled, Is.True);
            Assert.That(options.BackendUrl, Is.EqualTo(new Uri("https://backend.example.com:8443/api/call-events")));
            Assert.That(options.ApiKey, Is.EqualTo("backend-key-123"));
            Assert.That(options.SecretKeys, Is.EqualTo(new[] { Convert.FromBase64String("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") }));
            Assert.That(options.RetryDelays, Is.EqualTo(new[] { TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromHours(1) }));
        });
    }

    [Test]
    public void AllowedHosts_Default_IsBackendUrlsHostOnly()
    {
        var options = Resolve(new() { ["BACKEND_URL"] = "https://Backend.Example.com/api/call-events" });

        Assert.Multiple(() =>
        {
            Assert.That(options.AllowedHosts, Is.EquivalentTo(new[] { "backend.example.com" }));
            Assert.That(options.IsAllowed(new Uri("https://backend.example.com:9000/other/path?x=1")), Is.True, "any port and path on the host");
            Assert.That(options.IsAllowed(new Uri("http://BACKEND.example.com/hooks")), Is.True, "host names compare without case");
            Assert.That(options.IsAllowed(new Uri("https://evil.example/hooks")), Is.False);
            Assert.That(options.IsAllowed(new Uri("https://backend.example.com.evil.example/hooks")), Is.False);
            Assert.That(options.IsAllowed(new Uri("https://sub.backend.example.com/hooks")), Is.False, "no subdomains unless listed");
            Assert.That(options.IsAllowed(new Uri("ftp://backend.example.com/hooks")), Is.False);
        });
    }

    [Test]
    public void AllowedHosts_Listed_ReplaceTheDefault()
    {
        var options = Resolve(new()
        {
            ["BACKEND_URL"] = "https://backend.example.com/events",
            ["WEBHOOK_ALLOWED_HOSTS"] = " hooks.example.com, CRM.example.org. ,127.0.0.1,[::1]",
        });

        Assert.Multiple(() =>
        {
            Assert.That(options.AllowedHosts, Is.EquivalentTo(new[] { "hooks.example.com", "crm.example.org", "127.0.0.1", "::1" }));
            Assert.That(options.IsAllowed(new Uri("https://crm.example.org/in")), Is.True);
            Assert.That(options.IsAllowed(new Uri("http://[::1]:5000/in")), Is.True);
            Assert.That(options.IsAllowed(new Uri("http://127.0.0.1:5000/in")), Is.True);
            Assert.That(options.IsAllowed(new Uri("https://backend.example.com/events")), Is.False, "WEBHOOK_ALLOWED_HOSTS replaces BACKEND_URL's host");
        });
    }

    [Test]
    public void Rotation_TwoSecrets_BothKeysInTheOrderWritten()
    {
        var options = Resolve(new() { ["BACKEND_URL"] = "https://backend.example.com/", ["WEBHOOK_SECRET"] = $"  {NextSecret}   {Secret} " }, Environments.Production);

        Assert.That(options.SecretKeys, Is.EqualTo(new[] { WebhookSecret.Parse(NextSecret), WebhookSecret.Parse(Secret) }));
    }

    [Test]
    public void Production_BackendUrlWithoutSecret_FailsWithOneClearLine()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["BACKEND_URL"] = "https://backend.example.com/" }, Environments.Production));

        Assert.That(failure!.Failures, Is.EqualTo(new[] { WebhookOptionsValidator.MissingSecret }));
        Assert.That(WebhookOptionsValidator.MissingSecret, Does.StartWith("WEBHOOK_SECRET is not set: "));
    }

    [Test]
    public void Development_BackendUrlWithoutSecret_Starts() =>
        Assert.That(Resolve(new() { ["BACKEND_URL"] = "http://localhost:9000/events" }, Environments.Development).IsEnabled, Is.True);

    [Test]
    public void Production_WithoutBackendUrl_NeedsNoSecret() =>
        Assert.That(Resolve([], Environments.Production).IsEnabled, Is.False);

    [TestCase("BACKEND_URL", "backend.example.com/events", "BACKEND_URL must be an absolute http(s) URL (got 'backend.example.com/events')")]
    [TestCase("BACKEND_URL", "ftp://backend.example.com/", "BACKEND_URL must be an absolute http(s) URL (got 'ftp://backend.example.com/')")]
    [TestCase("WEBHOOK_ALLOWED_HOSTS", "https://hooks.example.com", "WEBHOOK_ALLOWED_HOSTS must list host names only, comma-separated, e.g. backend.example.com,hooks.example.com ('https://hooks.example.com' is not one: no scheme, port, path or wildcard)")]
    [TestCase("WEBHOOK_ALLOWED_HOSTS", "ok.example.com,*.example.com", "WEBHOOK_ALLOWED_HOSTS must list host names only, comma-separated, e.g. backend.example.com,hooks.example.com ('*.example.com' is not one: no scheme, port, path or wildcard)")]
    [TestCase("WEBHOOK_ALLOWED_HOSTS", "hooks.example.com:8443", "WEBHOOK_ALLOWED_HOSTS must list host names only, comma-separated, e.g. backend.example.com,hooks.example.com ('hooks.example.com:8443' is not one: no scheme, port, path or wildcard)")]
    [TestCase("WEBHOOK_RETRY_DELAYS", "5s,5x", "WEBHOOK_RETRY_DELAYS must be comma-separated waits like 5s,5m,30m,2h,5h,10h,10h, each a whole number with s, m or h, from 1s to 168h ('5x' is not one)")]
    [TestCase("WEBHOOK_RETRY_DELAYS", "5s,,5m", "WEBHOOK_RETRY_DELAYS must be comma-separated waits like 5s,5m,30m,2h,5h,10h,10h, each a whole number with s, m or h, from 1s to 168h ('' is not one)")]
    [TestCase("WEBHOOK_RETRY_DELAYS", "0s", "WEBHOOK_RETRY_DELAYS must be comma-separated waits like 5s,5m,30m,2h,5h,10h,10h, each a whole number with s, m or h, from 1s to 168h ('0s' is not one)")]
    [TestCase("WEBHOOK_RETRY_DELAYS", "1.5h", "WEBHOOK_RETRY_DELAYS must be comma-separated waits like 5s,5m,30m,2h,5h,10h,10h, each a whole number with s, m or h, from 1s to 168h ('1.5h' is not one)")]
    [TestCase("WEBHOOK_RETRY_DELAYS", "169h", "WEBHOOK_RETRY_DELAYS must be comma-separated waits like 5s,5m,30m,2h,5h,10h,10h, each a whole number with s, m or h, from 1s to 168h ('169h' is not one)")]
    [TestCase("WEBHOOK_RETRY_DELAYS", "2147483647h", "WEBHOOK_RETRY_DELAYS must be comma-separated waits like 5s,5m,30m,2h,5h,10h,10h, each a whole number with s, m or h, from 1s to 168h ('2147483647h' is not one)")]
    [TestCase("WEBHOOK_RETRY_DELAYS", "300", "WEBHOOK_RETRY_DELAYS must be comma-separated waits like 5s,5m,30m,2h,5h,10h,10h, each a whole number with s, m or h, from 1s to 168h ('300' is not one)")]
    public void BadValue_ResolvingTheOptionsNamesTheVariable(string variable, string value, string message)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Resolve(new() { [variable] = value }));

        Assert.That(failure!.Failures, Is.EqualTo(new[] { message }));
    }

    [TestCase("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "must start with 'whsec_'")]
    [TestCase("whsec_not*base64!", "must be 'whsec_' followed by standard base64")]
    [TestCase("whsec_", "must be 'whsec_' followed by standard base64")]
    [TestCase("whsec_c2hvcnQtc2VjcmV0", "must encode 24 to 64 random bytes (got 12)")]
    public void BadSecret_FailsNamingItsPositionNeverItsValue(string secret, string problem)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["WEBHOOK_SECRET"] = $"{Secret} {secret}" }));

        var hidden = secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret["whsec_".Length..] : secret;
        Assert.That(failure!.Failures, Has.Exactly(1).Items);
        Assert.That(failure.Failures.Single(), Does.StartWith("WEBHOOK_SECRET secret 2 of 2 " + problem));
        Assert.That(hidden.Length == 0 || !failure.Failures.Single().Contains(hidden, StringComparison.Ordinal), Is.True, "the secret is never quoted");
    }

    [Test]
    public void ApiKeyWithALineBreak_FailsWithoutShowingIt()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["BACKEND_API_KEY"] = "key\r\nX-Injected: 1" }));

        Assert.That(failure!.Failures, Is.EqualTo(new[] { "BACKEND_API_KEY must not contain spaces or control characters (its value is not shown)" }));
    }

    [Test]
    public void SeveralProblems_OneLineEach()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Resolve(
            new() { ["BACKEND_URL"] = "nope", ["WEBHOOK_SECRET"] = "whsec_", ["WEBHOOK_RETRY_DELAYS"] = "1d" }, Environments.Production));

        Assert.That(failure!.Failures.Select(line => line.Split(' ')[0]), Is.EqualTo(new[] { "BACKEND_URL", "WEBHOOK_SECRET", "WEBHOOK_RETRY_DELAYS" }));
    }

    [Test]
    public void Generate_MakesASecretThatParsesTo32RandomBytes()
    {
        var first = WebhookSecret.Generate();
        var second = WebhookSecret.Generate();

        Assert.Multiple(() =>
        {
            Assert.That(first, Does.StartWith("whsec_"));
            Assert.That(WebhookSecret.Parse(first), Has.Length.EqualTo(32));
            Assert.That(second, Is.Not.EqualTo(first));
            Assert.That(Resolve(new() { ["WEBHOOK_SECRET"] = first + " " + second }).SecretKeys, Has.Count.EqualTo(2));
        });
    }

    private static WebhookOptions Resolve(Dictionary<string, string?> values, string environment = "Development")
    {
        var services = new ServiceCollection();
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment
        {
            EnvironmentName = environment, ApplicationName = "CallQueue.Tests", ContentRootPath = AppContext.BaseDirectory,
            ContentRootFileProvider = new NullFileProvider(),
        });
        services.AddWebhookOptions(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<WebhookOptions>>().Value;
    }
}
