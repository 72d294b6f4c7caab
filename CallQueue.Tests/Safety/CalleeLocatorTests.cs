using CallQueue.Jobs.Safety;

namespace CallQueue.Tests.Safety;

/// <summary>A number's zones and place from libphonenumber; the override; failing closed.</summary>
[TestFixture]
[Category("Unit")]
[Parallelizable(ParallelScope.All)]
public sealed class CalleeLocatorTests
{
    [TestCase("+919876543210", "Asia/Kolkata")]
    [TestCase("+911123456789", "Asia/Kolkata")]
    [TestCase("+12127365000", "America/New_York")]
    [TestCase("+16502530000", "America/Los_Angeles")]
    [TestCase("+18502220000", "America/New_York")]
    [TestCase("+18504340000", "America/Chicago")]
    public void Locate_GeographicNumber_ItsCanonicalZone(string number, string zone) =>
        Assert.That(CalleeLocator.Locate(number).Location!.ZoneIds, Is.EqualTo(new[] { zone }));

    [TestCase("+12127365000", "US", "NY")]
    [TestCase("+18502220000", "US", "FL")]
    [TestCase("+18592579000", "US", "KY")]
    [TestCase("+19075551234", "US", "AK")]
    [TestCase("+919876543210", "IN", null)]
    [TestCase("+18005550199", "US", null)]
    public void Locate_Number_PlaceFromTheGeocoder(string number, string region, string? state) =>
        Assert.That(CalleeLocator.Locate(number).Location!.Place, Is.EqualTo(new CalleePlace(region, state)));

    [TestCase("+15555555555")]
    [TestCase("not a number")]
    public void Locate_UnknownZoneWithoutOverride_FailsNamingTheTimeZoneField(string number)
    {
        var lookup = CalleeLocator.Locate(number);

        Assert.Multiple(() =>
        {
            Assert.That(lookup.Location, Is.Null);
            Assert.That(lookup.Field, Is.EqualTo("call_config.timezone"));
            Assert.That(lookup.Error, Does.Contain("call_config.timezone"));
        });
    }

    [Test]
    public void Locate_UnknownZoneWithOverride_UsesTheOverride() =>
        Assert.That(CalleeLocator.Locate("+15555555555", "America/Denver").Location!.ZoneIds, Is.EqualTo(new[] { "America/Denver" }));

    [Test]
    public void Locate_Override_ReplacesEveryMappedZone() =>
        Assert.That(CalleeLocator.Locate("+19075551234", "Asia/Kathmandu").Location!.ZoneIds, Is.EqualTo(new[] { "Asia/Kathmandu" }));

    [Test]
    public void Locate_AliasOverride_ResolvesToTheCanonicalZone() =>
        Assert.That(CalleeLocator.Locate("+919876543210", "Asia/Calcutta").Location!.ZoneIds, Is.EqualTo(new[] { "Asia/Kolkata" }));

    [TestCase("Mars/Olympus_Mons")]
    [TestCase("Etc/Unknown")]
    [TestCase("+05:30")]
    [TestCase("")]
    public void Locate_InvalidOverride_FailsNamingTheFieldAndTheValue(string timeZone)
    {
        var lookup = CalleeLocator.Locate("+919876543210", timeZone);

        Assert.Multiple(() =>
        {
            Assert.That(lookup.Location, Is.Null);
            Assert.That(lookup.Field, Is.EqualTo("call_config.timezone"));
            Assert.That(lookup.Error, Is.EqualTo(CalleeLocator.InvalidTimeZoneMessage(timeZone)));
            Assert.That(lookup.Error, Does.Contain($"'{timeZone}'"));
        });
    }

    [TestCase("Asia/Kolkata", true)]
    [TestCase("Asia/Calcutta", true)]
    [TestCase("asia/kolkata", false)]
    [TestCase("Etc/Unknown", false)]
    [TestCase(null, false)]
    public void IsValid_IanaIds(string? id, bool valid) =>
        Assert.That(CalleeTimeZones.IsValid(id), Is.EqualTo(valid));
}
