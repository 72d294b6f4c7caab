using System.Security.Cryptography;
using System.Text;
using CallQueue.Jobs.Webhooks;

namespace CallQueue.Tests.Webhooks;

/// <summary>
/// The Standard Webhooks 1.0 symmetric scheme. The vector is the reference repository's own ("sign function works" in
/// libraries/javascript/src/webhook.test.ts of standard-webhooks/standard-webhooks), and the official npm package
/// signs it the same (see <see cref="StandardWebhookSignerOfficialTests"/>).
/// </summary>
[TestFixture]
[Category("Unit")]
[Parallelizable(ParallelScope.All)]
public sealed class StandardWebhookSignerTests
{
    internal const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    internal const string SpecId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    internal const long SpecTimestamp = 1614265330;
    internal const string SpecPayload = """{"test": 2432232314}""";
    internal const string SpecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private static readonly DateTimeOffset SpecTime = DateTimeOffset.FromUnixTimeSeconds(SpecTimestamp);

    [Test]
    public void Sign_SpecTestVector_GivesThePublishedSignature() =>
        Assert.That(StandardWebhookSigner.Sign(SpecId, SpecTimestamp, SpecPayload, [WebhookSecret.Parse(SpecSecret)]), Is.EqualTo(SpecSignature));

    [Test]
    public void Verify_SpecTestVector_Passes() =>
        Assert.That(Verify(SpecSignature, [WebhookSecret.Parse(SpecSecret)]), Is.True);

    [Test]
    public void Sign_IsHmacSha256OfIdDotTimestampDotBody()
    {
        var key = WebhookSecret.Parse(WebhookSecret.Generate());
        const string body = """{"type":"call.completed","data":{"note":"naïve ☎"}}""";

        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("evt_1.1700000000." + body)));

        Assert.That(StandardWebhookSigner.Sign("evt_1", 1700000000, body, [key]), Is.EqualTo(expected));
    }

    [Test]
    public void Sign_TwoKeysDuringARotation_OneSignatureEachSpaceSeparatedEachVerifying()
    {
        var oldKey = WebhookSecret.Parse(SpecSecret);
        var newKey = WebhookSecret.Parse(WebhookSecret.Generate());

        var header = StandardWebhookSigner.Sign(SpecId, SpecTimestamp, SpecPayload, [oldKey, newKey]);

        var signatures = header.Split(' ');
        Assert.Multiple(() =>
        {
            Assert.That(signatures, Has.Length.EqualTo(2));
            Assert.That(signatures[0], Is.EqualTo(SpecSignature));
            Assert.That(signatures[1], Does.StartWith("v1,").And.Not.EqualTo(SpecSignature));
            Assert.That(Verify(header, [oldKey]), Is.True, "a receiver still on the old secret");
            Assert.That(Verify(header, [newKey]), Is.True, "a receiver already on the new secret");
        });
    }

    [Test]
    public void Verify_ForgedSecret_Fails()
    {
        var forged = StandardWebhookSigner.Sign(SpecId, SpecTimestamp, SpecPayload, [WebhookSecret.Parse(WebhookSecret.Generate())]);

        Assert.That(Verify(forged, [WebhookSecret.Parse(SpecSecret)]), Is.False);
    }

    [TestCase("""{"test": 2432232315}""", SpecId, "1614265330", TestName = "Verify_ChangedBody_Fails")]
    [TestCase(SpecPayload, "msg_other", "1614265330", TestName = "Verify_ChangedId_Fails")]
    [TestCase(SpecPayload, SpecId, "1614265331", TestName = "Verify_ChangedTimestamp_Fails")]
    [TestCase(SpecPayload, SpecId, "not-a-time", TestName = "Verify_TimestampNotANumber_Fails")]
    [TestCase(SpecPayload, "msg.p5jXN8AQM9LWM0D4loKWxJek", "1614265330", TestName = "Verify_IdWithADot_Fails")]
    public void Verify_AnythingChanged_Fails(string body, string id, string timestamp) =>
        Assert.That(
            StandardWebhookSigner.Verify(id, timestamp, body, SpecSignature, [WebhookSecret.Parse(SpecSecret)], SpecTime),
            Is.False);

    [TestCase("")]
    [TestCase("v1,")]
    [TestCase("v1,g0hM9SsE")]
    [TestCase("v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [TestCase("v1a,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [TestCase("g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [TestCase("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=AAAA")]
    public void Verify_MalformedOrOtherVersionSignature_Fails(string header) =>
        Assert.That(Verify(header, [WebhookSecret.Parse(SpecSecret)]), Is.False);

    [Test]
    public void Verify_ValidSignatureAmongOthers_Passes() =>
        Assert.That(
            Verify("v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,x " + SpecSignature + " v1a,abc", [WebhookSecret.Parse(SpecSecret)]),
            Is.True);

    [TestCase(-300, true)]
    [TestCase(300, true)]
    [TestCase(-301, false)]
    [TestCase(301, false)]
    public void Verify_TimestampTolerance_FiveMinutesEitherWay(int secondsOff, bool valid) =>
        Assert.That(
            StandardWebhookSigner.Verify(
                SpecId, SpecTimestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), SpecPayload, SpecSignature,
                [WebhookSecret.Parse(SpecSecret)], SpecTime.AddSeconds(secondsOff)),
            Is.EqualTo(valid));

    [Test]
    public void Sign_WithoutKeys_Throws() =>
        Assert.Throws<ArgumentException>(() => StandardWebhookSigner.Sign(SpecId, SpecTimestamp, SpecPayload, []));

    [Test]
    public void Sign_IdWithADot_Throws() =>
        Assert.Throws<ArgumentException>(() => StandardWebhookSigner.Sign("evt.1", SpecTimestamp, SpecPayload, [WebhookSecret.Parse(SpecSecret)]));

    private static bool Verify(string header, IReadOnlyList<byte[]> keys) =>
        StandardWebhookSigner.Verify(SpecId, "1614265330", SpecPayload, header, keys, SpecTime);
}
