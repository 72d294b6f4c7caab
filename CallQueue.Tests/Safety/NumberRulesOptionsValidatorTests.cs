using CallQueue.Jobs.Safety;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CallQueue.Tests.Safety;

/// <summary>ONE_CALL_PER_NUMBER, NUMBER_MIN_GAP_SECONDS, MAX_ATTEMPTS_PER_NUMBER_PER_DAY: defaults, and one line per bad variable.</summary>
[TestFixture]
[Category("Unit")]
[Parallelizable(ParallelScope.All)]
public sealed class NumberRulesOptionsValidatorTests
{
    [Test]
    public void Defaults_OneCallPerNumberAndAMinuteBetweenAttemptsWithoutADailyCap()
    {
        var options = Resolve(new Dictionary<string, string?>());

        Assert.Multiple(() =>
        {
            Assert.That(options.IsOneCallPerNumber, Is.True);
            Assert.That(options.MinGap, Is.EqualTo(TimeSpan.FromSeconds(60)));
            Assert.That(options.MaxAttemptsPerDay, Is.Zero);
        });
    }

    [Test]
    public void Settings_AreRead()
    {
        var options = Resolve(new Dictionary<string, string?>
        {
            ["ONE_CALL_PER_NUMBER"] = "OFF", ["NUMBER_MIN_GAP_SECONDS"] = "0", ["MAX_ATTEMPTS_PER_NUMBER_PER_DAY"] = "3",
        });

        Assert.Multiple(() =>
        {
            Assert.That(options.IsOneCallPerNumber, Is.False);
            Assert.That(options.MinGap, Is.EqualTo(TimeSpan.Zero));
            Assert.That(options.MaxAttemptsPerDay, Is.EqualTo(3));
        });
    }

    [TestCase("ONE_CALL_PER_NUMBER", "maybe", "ONE_CALL_PER_NUMBER must be on or off (got 'maybe')")]
    [TestCase("NUMBER_MIN_GAP_SECONDS", "-1", "NUMBER_MIN_GAP_SECONDS must be 0 to 86400 (got -1)")]
    [TestCase("NUMBER_MIN_GAP_SECONDS", "86401", "NUMBER_MIN_GAP_SECONDS must be 0 to 86400 (got 86401)")]
    [TestCase("MAX_ATTEMPTS_PER_NUMBER_PER_DAY", "-2", "MAX_ATTEMPTS_PER_NUMBER_PER_DAY must be 0 (no cap) or more (got -2)")]
    public void BadValue_ResolvingTheOptionsNamesTheVariable(string variable, string value, string message)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Resolve(new Dictionary<string, string?> { [variable] = value }));

        Assert.That(failure!.Failures, Is.EqualTo(new[] { message }));
    }

    private static NumberRulesOptions Resolve(Dictionary<string, string?> values) =>
        new ServiceCollection()
            .AddNumberRules(new ConfigurationBuilder().AddInMemoryCollection(values).Build())
            .BuildServiceProvider()
            .GetRequiredService<IOptions<NumberRulesOptions>>().Value;
}
