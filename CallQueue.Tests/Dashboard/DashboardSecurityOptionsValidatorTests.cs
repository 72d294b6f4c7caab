using CallQueue.Api.Dashboard;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace CallQueue.Tests.Dashboard;

[TestFixture]
public sealed class DashboardSecurityOptionsValidatorTests
{
    [Test]
    public void Validate_ProductionWithoutAccount_RefusesToStartWithOneClearLine()
    {
        var result = Validate(Environments.Production, new DashboardSecurityOptions());

        Assert.That(result.Failures, Is.EqualTo(new[] { "Dashboard credentials not found: set DASHBOARD_USERNAME and DASHBOARD_PASSWORD" }));
    }

    [Test]
    public void Validate_DevelopmentWithoutAccount_Succeeds() =>
        Assert.That(Validate(Environments.Development, new DashboardSecurityOptions()).Succeeded, Is.True);

    [Test]
    public void Validate_ProductionWithOperatorAccount_Succeeds() =>
        Assert.That(Validate(Environments.Production, new DashboardSecurityOptions { Username = "ops", Password = "secret" }).Succeeded, Is.True);

    [Test]
    public void Validate_ProductionWithOnlyTheReadOnlyAccount_Succeeds() =>
        Assert.That(Validate(Environments.Production, new DashboardSecurityOptions { ReadOnlyUsername = "viewer", ReadOnlyPassword = "secret" }).Succeeded, Is.True);

    [Test]
    public void Validate_UserWithoutPassword_Fails() =>
        Assert.That(
            Validate(Environments.Development, new DashboardSecurityOptions { Username = "ops" }).Failures,
            Is.EqualTo(new[] { "DASHBOARD_USERNAME and DASHBOARD_PASSWORD must be set together" }));

    [Test]
    public void Validate_ReadOnlyPasswordWithoutUser_Fails() =>
        Assert.That(
            Validate(Environments.Development, new DashboardSecurityOptions { ReadOnlyPassword = "secret" }).Failures,
            Is.EqualTo(new[] { "DASHBOARD_READONLY_USERNAME and DASHBOARD_READONLY_PASSWORD must be set together" }));

    [Test]
    public void Validate_SameNameForBothAccounts_Fails() =>
        Assert.That(
            Validate(Environments.Development, new DashboardSecurityOptions { Username = "ops", Password = "a", ReadOnlyUsername = "ops", ReadOnlyPassword = "b" }).Failures,
            Is.EqualTo(new[] { "DASHBOARD_READONLY_USERNAME must differ from DASHBOARD_USERNAME" }));

    private static ValidateOptionsResult Validate(string environment, DashboardSecurityOptions options) =>
        new DashboardSecurityOptionsValidator(new HostingEnvironment { EnvironmentName = environment }).Validate(null, options);
}
