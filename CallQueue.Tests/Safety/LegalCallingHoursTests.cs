using CallQueue.Jobs.Safety;

namespace CallQueue.Tests.Safety;

/// <summary>The legal table as data, and the state of a number from the geocoder's words.</summary>
[TestFixture]
[Category("Unit")]
[Parallelizable(ParallelScope.All)]
public sealed class LegalCallingHoursTests
{
    [TestCase("US", null, "08:00–21:00", null)]
    [TestCase("US", "NY", "08:00–21:00", null)]
    [TestCase("US", "FL", "08:00–20:00", 3)]
    [TestCase("US", "OK", "08:00–20:00", 3)]
    [TestCase("US", "MA", "08:00–20:00", null)]
    [TestCase("US", "MS", "08:00–20:00 Mon–Sat", null)]
    [TestCase("US", "KY", "10:00–21:00", null)]
    [TestCase("US", "MN", "09:00–21:00", null)]
    [TestCase("US", "NV", "09:00–20:00", null)]
    [TestCase("PR", null, "08:00–21:00", null)]
    [TestCase("IN", null, "09:00–21:00", null)]
    [TestCase("AU", null, "Mon–Fri 09:00–20:00, Sat 09:00–17:00", null)]
    public void For_Place_TheTablesRow(string region, string? state, string window, int? cap)
    {
        var rule = LegalCallingHours.For(new CalleePlace(region, state));

        Assert.Multiple(() =>
        {
            Assert.That(rule!.Window.ToString(), Is.EqualTo(window));
            Assert.That(rule.MaxCallsPer24Hours, Is.EqualTo(cap));
        });
    }

    [TestCase("GB")]
    [TestCase("ZZ")]
    public void For_PlaceOutsideTheTable_NoRule(string region) =>
        Assert.That(LegalCallingHours.For(new CalleePlace(region)), Is.Null);

    [TestCase("Tallahassee, FL", "FL")]
    [TestCase("Kentucky", "KY")]
    [TestCase("New Mexico", "NM")]
    [TestCase("Washington D.C.", "DC")]
    [TestCase("Mountain View, CA", "CA")]
    [TestCase("Toronto, ON", null)]
    [TestCase("United States", null)]
    [TestCase("", null)]
    [TestCase(null, null)]
    public void FromGeocoderDescription_State(string? description, string? state) =>
        Assert.That(UsStates.FromGeocoderDescription(description), Is.EqualTo(state));
}
