using CallQueue.Jobs.Safety;
using PhoneNumbers;

namespace CallQueue.Tests.Safety;

/// <summary>
/// libphonenumber's reading of a number, the last one kept per thread (issue 15): whatever was read before on the thread,
/// each text gets its own answer, and the locator after it its own zones.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class PhoneNumberReadingTests
{
    [Test]
    public void Of_NumbersReadInTurn_EachGetsItsOwnAnswer()
    {
        var valid = PhoneNumberReading.Of("+919876543210");
        var invalid = PhoneNumberReading.Of("+9198765");
        var unreadable = PhoneNumberReading.Of("+999123456789");
        var validAgain = PhoneNumberReading.Of("+919876543210");

        Assert.Multiple(() =>
        {
            Assert.That((valid.IsValid, valid.Number?.CountryCode), Is.EqualTo((true, (int?)91)));
            Assert.That((invalid.IsValid, invalid.Number?.CountryCode), Is.EqualTo((false, (int?)91)));
            Assert.That((unreadable.IsValid, unreadable.Number, unreadable.Error), Is.EqualTo((false, (PhoneNumber?)null, (ErrorType?)ErrorType.INVALID_COUNTRY_CODE)));
            Assert.That(validAgain.IsValid, Is.True);
            Assert.That(validAgain.Text, Is.EqualTo("+919876543210"));
        });
    }

    [Test]
    public void Locate_SameNumberWithAndWithoutAnOverride_EachItsOwnZones()
    {
        var own = CalleeLocator.Locate("+12127365000");
        var overridden = CalleeLocator.Locate("+12127365000", "Asia/Kolkata");
        var ownAgain = CalleeLocator.Locate("+12127365000");

        Assert.Multiple(() =>
        {
            Assert.That(own.Location!.ZoneIds, Is.EqualTo(new[] { "America/New_York" }));
            Assert.That(overridden.Location!.ZoneIds, Is.EqualTo(new[] { "Asia/Kolkata" }));
            Assert.That(ownAgain.Location!.ZoneIds, Is.EqualTo(new[] { "America/New_York" }));
        });
    }
}
