using CallQueue.Api.Calls;

namespace CallQueue.Tests.Calls;

[TestFixture]
public sealed class IdempotencyKeyTests
{
    [Test]
    public void TryValidate_HeaderAbsent_Passes()
    {
        Assert.That(IdempotencyKey.TryValidate(null, out var error), Is.True);
        Assert.That(error, Is.Null);
    }

    [TestCase("a")]
    [TestCase("3f2b9c1e-8d4a-4f6b-9e2d-1c5a7b8e9f00")]
    [TestCase("order:42/attempt=1+retry~!")]
    public void TryValidate_PrintableAsciiKey_Passes(string key)
    {
        Assert.That(IdempotencyKey.TryValidate(key, out var error), Is.True);
        Assert.That(error, Is.Null);
    }

    [Test]
    public void TryValidate_KeyAtMaxLength_Passes() =>
        Assert.That(IdempotencyKey.TryValidate(new string('k', CallRequestLimits.IdempotencyKeyMaxLength), out _), Is.True);

    [Test]
    public void TryValidate_EmptyKey_FailsNamingHeader() =>
        AssertRejected(string.Empty, "Idempotency-Key must be 1 to 128 characters long.");

    [Test]
    public void TryValidate_KeyTooLong_FailsNamingHeader() =>
        AssertRejected(new string('k', CallRequestLimits.IdempotencyKeyMaxLength + 1), "Idempotency-Key must be 1 to 128 characters long.");

    [TestCase("has space")]
    [TestCase("tab\tkey")]
    [TestCase("ключ")]
    [TestCase("key\u007f")]
    public void TryValidate_NonPrintableOrSpace_FailsNamingHeader(string key) =>
        AssertRejected(key, "Idempotency-Key must contain only printable ASCII characters, without spaces.");

    private static void AssertRejected(string key, string expectedError)
    {
        Assert.That(IdempotencyKey.TryValidate(key, out var error), Is.False);
        Assert.That(error, Is.EqualTo(expectedError));
    }
}
