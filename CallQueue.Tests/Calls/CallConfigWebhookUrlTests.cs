using CallQueue.Api.Calls;
using CallQueue.Jobs.Configuration;
using CallQueue.Jobs.Webhooks;
using FluentValidation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using static CallQueue.Tests.Calls.CallRequestTestData;

namespace CallQueue.Tests.Calls;

/// <summary>call_config.webhook_url: only to an allowed host (WEBHOOK_ALLOWED_HOSTS, default BACKEND_URL's), only with webhooks on.</summary>
[TestFixture]
[Category("Unit")]
[Parallelizable(ParallelScope.All)]
public sealed class CallConfigWebhookUrlTests
{
    private const string Field = "call_config.webhook_url";

    [TestCase("https://backend.example.com/webhooks/calls")]
    [TestCase("http://backend.example.com:8080/other?tenant=7")]
    [TestCase("https://BACKEND.example.com/hooks")]
    public void Validate_UrlOnBackendUrlsHost_Passes(string url) =>
        AssertValid(Validator(Webhooks()).Validate(WithConfig(c => c with { WebhookUrl = url })));

    [Test]
    public void Validate_NoWebhookUrl_Passes() =>
        AssertValid(Validator(Webhooks()).Validate(ValidRequest()));

    [Test]
    public void Validate_OtherHost_FailsNamingTheHostAndTheAllowedOnes()
    {
        var error = AssertSingleError(Validator(Webhooks()).Validate(WithConfig(c => c with { WebhookUrl = "https://evil.example/collect" })), Field);

        Assert.That(error.ErrorMessage, Is.EqualTo(
            "call_config.webhook_url must point at an allowed host (WEBHOOK_ALLOWED_HOSTS): 'evil.example' is not one of backend.example.com."));
    }

    [TestCase("https://backend.example.com.evil.example/x")]
    [TestCase("https://backend.example.com@evil.example/x")]
    [TestCase("https://sub.backend.example.com/x")]
    public void Validate_LookalikeHost_Fails(string url) =>
        AssertSingleError(Validator(Webhooks()).Validate(WithConfig(c => c with { WebhookUrl = url })), Field);

    [Test]
    public void Validate_AllowedHostsListed_AcceptsThoseOnly()
    {
        var webhooks = Webhooks(allowedHosts: "hooks.example.com,crm.example.org");

        Assert.Multiple(() =>
        {
            AssertValid(Validator(webhooks).Validate(WithConfig(c => c with { WebhookUrl = "https://crm.example.org/in" })));
            var error = AssertSingleError(Validator(webhooks).Validate(WithConfig(c => c with { WebhookUrl = "https://backend.example.com/in" })), Field);
            Assert.That(error.ErrorMessage, Does.EndWith("'backend.example.com' is not one of crm.example.org, hooks.example.com."));
        });
    }

    [TestCase("backend.example.com/webhooks")]
    [TestCase("/webhooks")]
    [TestCase("ftp://backend.example.com/webhooks")]
    [TestCase("")]
    [TestCase(" https://backend.example.com/webhooks")]
    public void Validate_NotAnAbsoluteHttpUrl_FailsNamingTheField(string url)
    {
        var error = AssertSingleError(Validator(Webhooks()).Validate(WithConfig(c => c with { WebhookUrl = url })), Field);

        Assert.That(error.ErrorMessage, Does.Contain("absolute http or https URL"));
    }

    [Test]
    public void Validate_TooLong_FailsNamingTheField() =>
        AssertSingleError(
            Validator(Webhooks()).Validate(WithConfig(c => c with { WebhookUrl = "https://backend.example.com/" + new string('a', CallRequestLimits.WebhookUrlMaxLength) })),
            Field);

    [TestCase("https://backend.example.com/webhooks/calls")]
    [TestCase("not even a url")]
    public void Validate_WebhooksOff_FailsSayingBackendUrlIsNotSet(string url)
    {
        var error = AssertSingleError(Validator(new WebhookOptions()).Validate(WithConfig(c => c with { WebhookUrl = url })), Field);

        Assert.That(error.ErrorMessage, Does.Contain("BACKEND_URL is not set"));
    }

    [Test]
    public void Validate_DefaultConstructors_AreWebhooksOff() =>
        AssertSingleError(
            new QueueCallRequestValidator(Clock()).Validate(WithConfig(c => c with { WebhookUrl = "https://backend.example.com/x" })),
            Field);

    [Test]
    public void DependencyInjection_ValidatorsUseTheConfiguredWebhookOptions()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock());
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment
        {
            EnvironmentName = Environments.Development, ApplicationName = "CallQueue.Tests", ContentRootPath = AppContext.BaseDirectory,
            ContentRootFileProvider = new NullFileProvider(),
        });
        services.AddWebhookOptions(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["BACKEND_URL"] = "https://backend.example.com/events" })
            .Build());
        services.AddValidatorsFromAssemblyContaining<QueueCallRequestValidator>(ServiceLifetime.Singleton);
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var validator = provider.GetRequiredService<IValidator<QueueCallRequest>>();

        Assert.Multiple(() =>
        {
            AssertValid(validator.Validate(WithConfig(c => c with { WebhookUrl = "https://backend.example.com/per-call" })));
            AssertSingleError(validator.Validate(WithConfig(c => c with { WebhookUrl = "https://evil.example/" })), Field);
            AssertSingleError(
                provider.GetRequiredService<IValidator<CallConfigRequest>>().Validate(ValidConfig() with { WebhookUrl = "https://evil.example/" }),
                "webhook_url");
        });
    }

    [Test]
    public void CallRecordFactory_CopiesTheWebhookUrl()
    {
        var request = WithConfig(c => c with { WebhookUrl = "https://backend.example.com/per-call" });

        var record = CallRecordFactory.Create(request, "call_1", batchId: null, idempotencyKey: null, new QueueOptions(), Now);

        Assert.That(record.Config.WebhookUrl, Is.EqualTo("https://backend.example.com/per-call"));
        Assert.That(CallRecordFactory.Create(ValidRequest(), "call_2", null, null, new QueueOptions(), Now).Config.WebhookUrl, Is.Null);
    }

    private static WebhookOptions Webhooks(string? allowedHosts = null) =>
        new() { BackendUrlSetting = "https://backend.example.com/events", AllowedHostsSetting = allowedHosts };

    private static QueueCallRequestValidator Validator(WebhookOptions webhooks) => new(Clock(), Options.Create(webhooks));
}
