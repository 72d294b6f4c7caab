using CallQueue.Api.Calls;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static CallQueue.Tests.Calls.CallRequestTestData;

namespace CallQueue.Tests.Calls;

[TestFixture]
public sealed class ValidatorRegistrationTests
{
    [Test]
    public void AddValidatorsFromAssemblyContaining_WithTimeProvider_ValidatorUsesThatClock()
    {
        var farFuture = new FakeTimeProvider(new DateTimeOffset(2040, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(farFuture);
        services.AddValidatorsFromAssemblyContaining<QueueCallRequestValidator>();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        using var scope = provider.CreateScope();

        var validator = scope.ServiceProvider.GetRequiredService<IValidator<QueueCallRequest>>();

        // Only valid when "now" is the fake 2040 clock, not the machine's.
        AssertValid(validator.Validate(ValidRequest() with { ScheduledAt = "2040-06-01T00:00:00Z" }));
    }

    [Test]
    public void AddValidatorsFromAssemblyContaining_WithoutTimeProvider_ResolvesEveryValidator()
    {
        var services = new ServiceCollection();
        services.AddValidatorsFromAssemblyContaining<QueueCallRequestValidator>();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        using var scope = provider.CreateScope();

        Assert.That(scope.ServiceProvider.GetRequiredService<IValidator<QueueCallRequest>>(), Is.TypeOf<QueueCallRequestValidator>());
        Assert.That(scope.ServiceProvider.GetRequiredService<IValidator<BulkQueueRequest>>(), Is.TypeOf<BulkQueueRequestValidator>());
        Assert.That(scope.ServiceProvider.GetRequiredService<IValidator<CallConfigRequest>>(), Is.TypeOf<CallConfigRequestValidator>());
    }
}
