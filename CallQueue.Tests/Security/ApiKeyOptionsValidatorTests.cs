using CallQueue.Api.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace CallQueue.Tests.Security;

[TestFixture]
public sealed class ApiKeyOptionsValidatorTests
{
    [TestCase(null)]
    [TestCase("")]
    [TestCase(" , ")]
    public void Validate_ProductionWithoutKeys_FailsWithOneClearLine(string? keys)
    {
        var result = Validate(Environments.Production, keys);

        Assert.That(result.Failures, Is.EqualTo(new[] { ApiKeyOptionsValidator.MissingKeys }));
        Assert.That(ApiKeyOptionsValidator.MissingKeys, Does.StartWith("API_KEYS not set: "));
    }

    [Test]
    public void Validate_DevelopmentWithoutKeys_Succeeds() =>
        Assert.That(Validate(Environments.Development, null).Succeeded, Is.True);

    [Test]
    public void Validate_ProductionWithAShortKey_FailsNamingItsPositionNotTheKey()
    {
        var result = Validate(Environments.Production, "0123456789abcdef0123,short-one");

        Assert.Multiple(() =>
        {
            Assert.That(result.Failed, Is.True);
            Assert.That(result.FailureMessage, Does.Contain("key 2").And.Not.Contain("short-one"));
        });
    }

    [Test]
    public void Validate_ProductionWithLongKeys_Succeeds() =>
        Assert.That(Validate(Environments.Production, "0123456789abcdef0123, fedcba9876543210fedc").Succeeded, Is.True);

    [Test]
    public void KeyList_CommasSemicolonsAndSpaces_SeparateKeys() =>
        Assert.That(new ApiKeyOptions { Keys = " one, two;three  four ,," }.KeyList, Is.EqualTo(new[] { "one", "two", "three", "four" }));

    [Test]
    public void ApiKeys_NamedAndBareEntries_NameEachKey() =>
        Assert.That(
            new ApiKeyOptions { Keys = "crm:abc:def, bare-key" }.ApiKeys,
            Is.EqualTo(new[] { new ApiKey("crm", "abc:def"), new ApiKey("key-2", "bare-key") }));

    [Test]
    public void Validate_ProductionWithANamedShortKey_FailsOnTheKeyNotTheName()
    {
        var result = Validate(Environments.Production, "a-very-long-client-name-indeed:tiny9");

        Assert.Multiple(() =>
        {
            Assert.That(result.FailureMessage, Does.Contain("key 1").And.Not.Contain("tiny9"));
            Assert.That(Validate(Environments.Production, "crm:0123456789abcdef0123").Succeeded, Is.True);
        });
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(string environment, string? keys) =>
        new ApiKeyOptionsValidator(new HostingEnvironment { EnvironmentName = environment }).Validate(null, new ApiKeyOptions { Keys = keys });
}
