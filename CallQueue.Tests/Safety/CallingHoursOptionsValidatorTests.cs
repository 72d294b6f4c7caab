using CallQueue.Jobs.Safety;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CallQueue.Tests.Safety;

/// <summary>CALLING_HOURS, CALLING_DAYS, RESTRICTED_DATES, LEGAL_CALLING_HOURS: one line per bad variable, naming it.</summary>
[TestFixture]
[Category("Unit")]
[Parallelizable(ParallelScope.All)]
public sealed class CallingHoursOptionsValidatorTests
{
    [Test]
    public void Validate_Defaults_Succeed() =>
        Assert.That(new CallingHoursOptionsValidator().Validate(null, new CallingHoursOptions()).Succeeded, Is.True);

    [Test]
    public void Validate_EmptyValues_MeanTheDefaults()
    {
        var options = new CallingHoursOptions { CallingHours = "", CallingDays = " ", RestrictedDates = "", LegalCallingHours = "" };

        Assert.Multiple(() =>
        {
            Assert.That(new CallingHoursOptionsValidator().Validate(null, options).Succeeded, Is.True);
            Assert.That(CallingHoursPolicy.From(options), Is.EqualTo(CallingHoursPolicy.Default).Using<CallingHoursPolicy>(SamePolicy));
        });
    }

    [Test]
    public void Validate_OffSwitches_Succeed()
    {
        var options = new CallingHoursOptions { CallingHours = "off", LegalCallingHours = "OFF" };

        Assert.Multiple(() =>
        {
            Assert.That(new CallingHoursOptionsValidator().Validate(null, options).Succeeded, Is.True);
            Assert.That(CallingHoursPolicy.From(options).LegalHours, Is.False);
            Assert.That(CallingHoursPolicy.From(options).DeploymentWindow.ToString(), Is.EqualTo("00:00–24:00"));
        });
    }

    [TestCase("CALLING_HOURS", "21:00-09:00")]
    [TestCase("CALLING_DAYS", "weekdays")]
    [TestCase("RESTRICTED_DATES", "2026-12-25,Christmas")]
    [TestCase("LEGAL_CALLING_HOURS", "maybe")]
    public void Validate_BadValue_OneLineNamingTheVariable(string variable, string value)
    {
        var options = Bind(new Dictionary<string, string?> { [variable] = value });

        var result = new CallingHoursOptionsValidator().Validate(null, options);

        Assert.That(result.Failures, Has.Exactly(1).Items.And.One.StartsWith($"{variable} must "));
    }

    [Test]
    public void AddCallingHours_BadValue_ResolvingTheOptionsNamesTheVariable()
    {
        using var provider = Services(new Dictionary<string, string?> { ["CALLING_HOURS"] = "9-5" });

        var error = Assert.Throws<OptionsValidationException>(() => _ = provider.GetRequiredService<IOptions<CallingHoursOptions>>().Value);

        Assert.That(error!.Message, Does.StartWith("CALLING_HOURS must "));
    }

    [Test]
    public void AddCallingHours_Settings_TheEngineUsesThem()
    {
        using var provider = Services(new Dictionary<string, string?> { ["CALLING_HOURS"] = "10:00-18:00", ["CALLING_DAYS"] = "mon-fri" });

        Assert.That(
            provider.GetRequiredService<CallingHours>().EffectiveWindow(new CalleePlace("IN")).ToString(),
            Is.EqualTo("10:00–18:00 Mon–Fri"));
    }

    private static bool SamePolicy(CallingHoursPolicy a, CallingHoursPolicy b) =>
        a.LegalHours == b.LegalHours && a.RestrictedDates.Count == b.RestrictedDates.Count
        && a.DeploymentWindow.ToString() == b.DeploymentWindow.ToString();

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private static CallingHoursOptions Bind(Dictionary<string, string?> values)
    {
        var options = new CallingHoursOptions();
        Configuration(values).Bind(options);
        return options;
    }

    private static ServiceProvider Services(Dictionary<string, string?> values) =>
        new ServiceCollection().AddSingleton(TimeProvider.System).AddCallingHours(Configuration(values)).BuildServiceProvider();
}
