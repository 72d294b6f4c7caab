using CallQueue.Jobs.Plivo;

namespace CallQueue.Tests.Plivo;

[TestFixture]
public sealed class PlivoSignatureV3Tests
{
    private const string SdkNonce = "31627761595286130198";
    private const string SdkToken = "Y2Q2ZDgxZmY5YWRiOTI5YmQ1Njg0MTAxZWIyOTc4";
    private const string SdkUrlWithQuery = "https://plivobin.non-prod.plivops.com/api/v1/validate_signature03.xml/?a=b&c=d";
    private const string SdkUrl = "https://plivobin.non-prod.plivops.com/api/v1/validate_signature03.xml";
    private const string Vector1 = "k7Pusd4OxCIjR5IfA9iedDNu/h/gbdYqdzG/MiYtd1c=";

    private static readonly Dictionary<string, string> SdkParams = new()
    {
        ["Direction"] = "outbound",
        ["From"] = "19792014278",
        ["ALegUUID"] = "3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36",
        ["CallStatus"] = "in-progress",
        ["BillRate"] = "0.002",
        ["ParentAuthID"] = "MANWVLYTK4ZWU1YTY4QA",
        ["To"] = "sip:PlivoSignature382029104058171078704104@phone-qa.voice.plivodev.com",
        ["ALegRequestUUID"] = "3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36",
        ["CallUUID"] = "3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36",
        ["RequestUUID"] = "3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36",
        ["SIP-H-To"] = "<sip:PlivoSignature382029104058171078704104@52.9.11.55;transport=udp>;tag=1",
        ["SessionStart"] = "2020-04-08 11:34:33.238707",
        ["Event"] = "StartApp",
    };

    private static readonly Dictionary<string, string> HangupParams = new()
    {
        ["CallUUID"] = "c1",
        ["CallStatus"] = "no-answer",
        ["To"] = "14155550100",
        ["From"] = "14155550199",
        ["Event"] = "Hangup",
        ["Direction"] = "outbound",
    };

    private static readonly Dictionary<string, string> AnswerParams = new() { ["CallUUID"] = "c1", ["a"] = "x", ["B"] = "y" };

    private static readonly Dictionary<string, string> NoParams = [];

    [TestCase("POST", SdkUrlWithQuery, Vector1)]
    [TestCase("GET", SdkUrlWithQuery, "UBq8jAtd32wR8EK9VgxbBn4n5rpI/l1H9iN4WfSEHFQ=")]
    [TestCase("POST", SdkUrl, "iAjE5QqI37mbkYe4w3jTMudqEzbDufdqi7sYwTu64e0=")]
    [TestCase("GET", SdkUrl, "i/MQsaQSAd6fiKhOh2qeeeLHZ9faldADSb3/7+Akfbc=")]
    public void Compute_PublishedSdkVector_MatchesAndValidates(string method, string url, string expected)
    {
        Assert.Multiple(() =>
        {
            Assert.That(PlivoSignatureV3.Compute(method, url, SdkParams, SdkNonce, SdkToken), Is.EqualTo(expected));
            Assert.That(PlivoSignatureV3.IsValid(method, url, SdkParams, SdkNonce, expected, SdkToken), Is.True);
        });
    }

    [Test]
    public void BuildSignedString_PostWithQuery_PutsDotAfterQueryAndConcatenatesSortedParams()
    {
        var signed = PlivoSignatureV3.BuildSignedString("POST", SdkUrlWithQuery, SdkParams);

        Assert.That(signed, Does.StartWith(
            "https://plivobin.non-prod.plivops.com/api/v1/validate_signature03.xml/?a=b&c=d.ALegRequestUUID3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36ALegUUID"));
        Assert.That(signed, Does.EndWith("Tosip:PlivoSignature382029104058171078704104@phone-qa.voice.plivodev.com"));
    }

    [Test]
    public void BuildSignedString_PostWithoutQuery_UsesQuestionMarkAndNoDot()
    {
        var signed = PlivoSignatureV3.BuildSignedString("POST", SdkUrl, SdkParams);

        Assert.That(signed, Does.StartWith("https://plivobin.non-prod.plivops.com/api/v1/validate_signature03.xml?ALegRequestUUID"));
    }

    [Test]
    public void BuildSignedString_GetWithQuery_MergesPairsOrdinally()
    {
        var signed = PlivoSignatureV3.BuildSignedString("GET", SdkUrlWithQuery, SdkParams);

        Assert.That(signed, Does.StartWith("https://plivobin.non-prod.plivops.com/api/v1/validate_signature03.xml/?ALegRequestUUID=3e82"));
        Assert.That(signed, Does.EndWith("&a=b&c=d"));
    }

    [Test]
    public void Compute_ExtraVectorPostHangupNoQuery_Matches()
    {
        const string url = "https://dialer.example.com/plivo/hangup";
        Assert.Multiple(() =>
        {
            Assert.That(
                PlivoSignatureV3.BuildSignedString("POST", url, HangupParams),
                Is.EqualTo("https://dialer.example.com/plivo/hangup?CallStatusno-answerCallUUIDc1DirectionoutboundEventHangupFrom14155550199To14155550100"));
            Assert.That(
                PlivoSignatureV3.Compute("POST", url, HangupParams, "12345678901234567890", "my_auth_token"),
                Is.EqualTo("C8PzmbJw3ryFwyHOpoeJlhYIWfD6qrJooVSISf3JOu4="));
        });
    }

    [Test]
    public void Compute_ExtraVectorPostEncodedQuery_DecodesQueryAndSortsUppercaseFirst()
    {
        const string url = "https://dialer.example.com/plivo/answer?attempt=7&job=ab%20c";
        Assert.Multiple(() =>
        {
            Assert.That(
                PlivoSignatureV3.BuildSignedString("POST", url, AnswerParams),
                Is.EqualTo("https://dialer.example.com/plivo/answer?attempt=7&job=ab c.ByCallUUIDc1ax"));
            Assert.That(
                PlivoSignatureV3.Compute("POST", url, AnswerParams, "n1", "tok"),
                Is.EqualTo("Y5NrsXrByR1fInYRgSwKtWBIgDbiUv1+CEYrALerLrM="));
        });
    }

    [Test]
    public void Compute_ExtraVectorPostNoParamsWithPort_KeepsPort()
    {
        const string url = "https://dialer.example.com:8443/plivo/ring";
        Assert.Multiple(() =>
        {
            Assert.That(PlivoSignatureV3.BuildSignedString("POST", url, NoParams), Is.EqualTo(url));
            Assert.That(PlivoSignatureV3.Compute("POST", url, NoParams, "n2", "tok"), Is.EqualTo("JufKojrHTp7omsTcBXW1IqIq5bDHRngdRJz3Low5TWs="));
        });
    }

    [Test]
    public void Compute_ExtraVectorGetWithPlus_DecodesPlusAsSpace()
    {
        const string url = "https://dialer.example.com/plivo/answer?CallUUID=c1&From=1&To=2&x=a+b";
        Assert.Multiple(() =>
        {
            Assert.That(
                PlivoSignatureV3.BuildSignedString("GET", url, NoParams),
                Is.EqualTo("https://dialer.example.com/plivo/answer?CallUUID=c1&From=1&To=2&x=a b"));
            Assert.That(PlivoSignatureV3.Compute("GET", url, NoParams, "n3", "tok"), Is.EqualTo("uG1+a9TpLt2Pa/dXJBIpxvPks8m9X9Uy5SGwfm2tZMY="));
        });
    }

    [Test]
    public void IsValid_TamperedUrl_ReturnsFalse() =>
        Assert.That(PlivoSignatureV3.IsValid("POST", SdkUrlWithQuery.Replace("c=d", "c=e", StringComparison.Ordinal), SdkParams, SdkNonce, Vector1, SdkToken), Is.False);

    [Test]
    public void IsValid_TamperedParameter_ReturnsFalse()
    {
        var tampered = new Dictionary<string, string>(SdkParams) { ["CallStatus"] = "completed" };

        Assert.That(PlivoSignatureV3.IsValid("POST", SdkUrlWithQuery, tampered, SdkNonce, Vector1, SdkToken), Is.False);
    }

    [Test]
    public void IsValid_ExtraParameter_ReturnsFalse()
    {
        var extended = new Dictionary<string, string>(SdkParams) { ["X-PH-Job"] = "1" };

        Assert.That(PlivoSignatureV3.IsValid("POST", SdkUrlWithQuery, extended, SdkNonce, Vector1, SdkToken), Is.False);
    }

    [Test]
    public void IsValid_TamperedNonce_ReturnsFalse() =>
        Assert.That(PlivoSignatureV3.IsValid("POST", SdkUrlWithQuery, SdkParams, "31627761595286130199", Vector1, SdkToken), Is.False);

    [Test]
    public void IsValid_WrongToken_ReturnsFalse() =>
        Assert.That(PlivoSignatureV3.IsValid("POST", SdkUrlWithQuery, SdkParams, SdkNonce, Vector1, SdkToken + "x"), Is.False);

    [Test]
    public void IsValid_WrongMethod_ReturnsFalse() =>
        Assert.That(PlivoSignatureV3.IsValid("GET", SdkUrlWithQuery, SdkParams, SdkNonce, Vector1, SdkToken), Is.False);

    [TestCase("garbage," + Vector1)]
    [TestCase(Vector1 + ",garbage")]
    [TestCase(" garbage , " + Vector1 + " ")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=," + Vector1)]
    public void IsValid_CommaSeparatedHeaderWithOneValid_ReturnsTrue(string header) =>
        Assert.That(PlivoSignatureV3.IsValid("POST", SdkUrlWithQuery, SdkParams, SdkNonce, header, SdkToken), Is.True);

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    [TestCase(",")]
    [TestCase("not base64 at all!")]
    [TestCase("k7Pusd4OxCIjR5IfA9iedDNu")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void IsValid_MissingOrMalformedHeader_ReturnsFalse(string? header) =>
        Assert.That(PlivoSignatureV3.IsValid("POST", SdkUrlWithQuery, SdkParams, SdkNonce, header, SdkToken), Is.False);

    [Test]
    public void IsValid_EmptyNonceOrToken_ReturnsFalse()
    {
        Assert.Multiple(() =>
        {
            Assert.That(PlivoSignatureV3.IsValid("POST", SdkUrlWithQuery, SdkParams, string.Empty, Vector1, SdkToken), Is.False);
            Assert.That(PlivoSignatureV3.IsValid("POST", SdkUrlWithQuery, SdkParams, SdkNonce, Vector1, string.Empty), Is.False);
        });
    }

    [TestCase("https://x.example.com/a?b=%zz&c=%C3")]
    [TestCase("not a url at all")]
    [TestCase("https://x.example.com/a?&&=&b")]
    public void IsValid_OddUrl_ReturnsFalseWithoutThrowing(string url) =>
        Assert.That(PlivoSignatureV3.IsValid("POST", url, SdkParams, SdkNonce, Vector1, SdkToken), Is.False);

    [Test]
    public void IsValid_UrlWithFragment_IgnoresFragment() =>
        Assert.That(PlivoSignatureV3.IsValid("POST", SdkUrlWithQuery + "#ct=2000&rc=2", SdkParams, SdkNonce, Vector1, SdkToken), Is.True);
}
