using CallQueue.Api.Calls;
using CallQueue.Jobs.Calls;
using static CallQueue.Tests.Calls.CallRequestTestData;

namespace CallQueue.Tests.Calls;

/// <summary>The request helpers the endpoint uses after validation.</summary>
[TestFixture]
public sealed class CallRequestParsingTests
{
    [TestCase("low", CallPriority.Low)]
    [TestCase("Normal", CallPriority.Normal)]
    [TestCase("HIGH", CallPriority.High)]
    [TestCase("urgent", CallPriority.Urgent)]
    public void ParsePriority_KnownName_ReturnsPriority(string text, CallPriority expected) =>
        Assert.That(new QueueCallRequest { Priority = text }.ParsePriority(), Is.EqualTo(expected));

    [Test]
    public void ParsePriority_NotGiven_ReturnsNull() =>
        Assert.That(new QueueCallRequest().ParsePriority(), Is.Null);

    [TestCase("0")]
    [TestCase("medium")]
    public void ParsePriority_UnknownName_ThrowsFormatException(string text) =>
        Assert.That(() => new QueueCallRequest { Priority = text }.ParsePriority(), Throws.TypeOf<FormatException>());

    [Test]
    public void ParseScheduledAt_WithOffset_ReturnsTheSameInstant() =>
        Assert.That(
            new QueueCallRequest { ScheduledAt = "2026-03-02T15:00:00+05:30" }.ParseScheduledAt(),
            Is.EqualTo(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero)));

    [Test]
    public void ParseScheduledAt_WithoutOffset_IsTakenAsUtc()
    {
        var scheduledAt = new QueueCallRequest { ScheduledAt = "2026-03-02T09:30:00.5" }.ParseScheduledAt();

        Assert.That(scheduledAt, Is.EqualTo(new DateTimeOffset(2026, 3, 2, 9, 30, 0, 500, TimeSpan.Zero)));
        Assert.That(scheduledAt!.Value.Offset, Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void ParseScheduledAt_NotGiven_ReturnsNull() =>
        Assert.That(new QueueCallRequest().ParseScheduledAt(), Is.Null);

    [Test]
    public void ParseScheduledAt_NotIso_ThrowsFormatException() =>
        Assert.That(() => new QueueCallRequest { ScheduledAt = "tomorrow" }.ParseScheduledAt(), Throws.TypeOf<FormatException>());

    [TestCase("true", "true")]
    [TestCase("\"true\"", "true")]
    [TestCase("\"hangup\"", "hangup")]
    [TestCase("\"HANGUP\"", "hangup")]
    [TestCase("false", null)]
    [TestCase("\"false\"", null)]
    [TestCase("null", null)]
    public void ParseMachineDetection_AcceptedForm_ReturnsPlivoValue(string json, string? expected) =>
        Assert.That(new CallConfigRequest { MachineDetection = Element(json) }.ParseMachineDetection(), Is.EqualTo(expected));

    [Test]
    public void ParseMachineDetection_NotGiven_ReturnsNull() =>
        Assert.That(new CallConfigRequest().ParseMachineDetection(), Is.Null);

    [Test]
    public void ParseMachineDetection_OtherValue_ThrowsFormatException() =>
        Assert.That(() => new CallConfigRequest { MachineDetection = Element("\"yes\"") }.ParseMachineDetection(), Throws.TypeOf<FormatException>());
}
