using CallQueue.Jobs.Calls;

namespace CallQueue.Tests.Calls;

[TestFixture]
public sealed class PhoneNumberMaskTests
{
    [TestCase("+919876546789", "+91••••••6789")]
    [TestCase("14155550100", "141••••0100")]
    [TestCase("12345678", "123•5678")]
    [TestCase("1234567", "•••••••")]
    [TestCase("", "")]
    [TestCase(null, "")]
    public void Mask_Number_KeepsFirstThreeAndLastFour(string? number, string expected) =>
        Assert.That(PhoneNumberMask.Mask(number), Is.EqualTo(expected));
}
