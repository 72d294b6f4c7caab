using CallQueue.Api.Calls;
using static CallQueue.Tests.Calls.CallRequestTestData;

namespace CallQueue.Tests.Calls;

/// <summary>call_config rules, run through the parent validator so the reported paths are the wire paths.</summary>
[TestFixture]
public sealed class CallConfigRequestValidatorTests
{
    [Test]
    public void Validate_ConfigWithEveryField_Passes() =>
        AssertValid(Validator().Validate(WithConfig(c => c with
        {
            AnswerMethod = "GET",
            Variables = Element("""{"name": "John Doe", "email": "john@example.com"}"""),
            Voice = "en-US",
            MaxDuration = 1800,
            RecordingEnabled = true,
            RingTimeout = 30,
            RetryDelaySeconds = 300,
            MachineDetection = Element("\"hangup\""),
        })));

    [Test]
    public void Validate_ConfigOnItsOwn_NamesFieldsWithoutPrefix()
    {
        var result = new CallConfigRequestValidator().Validate(new CallConfigRequest());

        Assert.That(result.Errors.Select(e => e.PropertyName), Is.EqualTo(new[] { "answer_url" }));
    }

    [TestCase(null)]
    [TestCase("")]
    public void Validate_MissingAnswerUrl_FailsNamingCallConfigAnswerUrl(string? answerUrl)
    {
        var error = AssertSingleError(Validator().Validate(WithConfig(c => c with { AnswerUrl = answerUrl })), "call_config.answer_url");

        Assert.That(error.ErrorMessage, Does.StartWith("call_config.answer_url is required"));
    }

    [TestCase("https://your-domain.com/outbound-answer")]
    [TestCase("http://localhost:8765/answer?campaign=1")]
    [TestCase("https://[::1]:8443/answer")]
    public void Validate_AbsoluteHttpAnswerUrl_Passes(string answerUrl) =>
        AssertValid(Validator().Validate(WithConfig(c => c with { AnswerUrl = answerUrl })));

    [TestCase("your-domain.com/outbound-answer")]
    [TestCase("/outbound-answer")]
    [TestCase("ftp://your-domain.com/answer")]
    [TestCase("file:///etc/passwd")]
    [TestCase("javascript:alert(1)")]
    [TestCase("https://")]
    [TestCase("https://your domain.com/answer")]
    [TestCase(" https://your-domain.com/outbound-answer")]
    public void Validate_AnswerUrlNotAbsoluteHttp_FailsNamingCallConfigAnswerUrl(string answerUrl)
    {
        var error = AssertSingleError(Validator().Validate(WithConfig(c => c with { AnswerUrl = answerUrl })), "call_config.answer_url");

        Assert.That(error.ErrorMessage, Does.Contain("absolute http or https URL"));
    }

    [Test]
    public void Validate_AnswerUrlAtMaxLength_Passes() =>
        AssertValid(Validator().Validate(WithConfig(c => c with { AnswerUrl = UrlOfLength(CallRequestLimits.AnswerUrlMaxLength) })));

    [Test]
    public void Validate_AnswerUrlTooLong_FailsNamingCallConfigAnswerUrl() =>
        AssertSingleError(
            Validator().Validate(WithConfig(c => c with { AnswerUrl = UrlOfLength(CallRequestLimits.AnswerUrlMaxLength + 1) })),
            "call_config.answer_url");

    [TestCase("GET")]
    [TestCase("POST")]
    [TestCase("get")]
    [TestCase("Post")]
    public void Validate_AnswerMethodGetOrPost_Passes(string method) =>
        AssertValid(Validator().Validate(WithConfig(c => c with { AnswerMethod = method })));

    [TestCase("")]
    [TestCase("PUT")]
    [TestCase("GET ")]
    public void Validate_OtherAnswerMethod_FailsNamingCallConfigAnswerMethod(string method) =>
        AssertSingleError(Validator().Validate(WithConfig(c => c with { AnswerMethod = method })), "call_config.answer_method");

    [TestCase("{}")]
    [TestCase("""{"name": "John Doe", "nested": {"list": [1, 2]}}""")]
    [TestCase("null")]
    public void Validate_VariablesObjectOrNull_Passes(string json) =>
        AssertValid(Validator().Validate(WithConfig(c => c with { Variables = Element(json) })));

    [TestCase("[1, 2]")]
    [TestCase("\"John Doe\"")]
    [TestCase("42")]
    [TestCase("true")]
    public void Validate_VariablesNotAnObject_FailsNamingCallConfigVariables(string json)
    {
        var error = AssertSingleError(Validator().Validate(WithConfig(c => c with { Variables = Element(json) })), "call_config.variables");

        Assert.That(error.ErrorMessage, Does.Contain("JSON object"));
    }

    [Test]
    public void Validate_VariablesOfExactly16KB_Passes() =>
        AssertValid(Validator().Validate(WithConfig(c => c with { Variables = VariablesOfSize(CallRequestLimits.VariablesMaxBytes) })));

    [Test]
    public void Validate_VariablesOver16KB_FailsNamingCallConfigVariables()
    {
        var error = AssertSingleError(
            Validator().Validate(WithConfig(c => c with { Variables = VariablesOfSize(CallRequestLimits.VariablesMaxBytes + 1) })),
            "call_config.variables");

        Assert.That(error.ErrorMessage, Does.Contain("16384 bytes"));
    }

    [Test]
    public void Validate_IndentedVariablesCompactlyUnder16KB_Passes()
    {
        // The limit is on the data, not on the client's whitespace.
        var padded = Element("{\n" + new string(' ', CallRequestLimits.VariablesMaxBytes) + "\"name\": \"John Doe\"\n}");

        AssertValid(Validator().Validate(WithConfig(c => c with { Variables = padded })));
    }

    [Test]
    public void Validate_FlowNameAtMaxLength_Passes() =>
        AssertValid(Validator().Validate(WithConfig(c => c with { FlowName = new string('f', CallRequestLimits.FlowNameMaxLength) })));

    [Test]
    public void Validate_FlowNameTooLong_FailsNamingCallConfigFlowName() =>
        AssertSingleError(
            Validator().Validate(WithConfig(c => c with { FlowName = new string('f', CallRequestLimits.FlowNameMaxLength + 1) })),
            "call_config.flow_name");

    [Test]
    public void Validate_FlowNameWithControlCharacter_FailsNamingCallConfigFlowName() =>
        AssertSingleError(Validator().Validate(WithConfig(c => c with { FlowName = "wishfin\ttest" })), "call_config.flow_name");

    [Test]
    public void Validate_VoiceAtMaxLength_Passes() =>
        AssertValid(Validator().Validate(WithConfig(c => c with { Voice = new string('v', CallRequestLimits.VoiceMaxLength) })));

    [Test]
    public void Validate_VoiceTooLong_FailsNamingCallConfigVoice() =>
        AssertSingleError(
            Validator().Validate(WithConfig(c => c with { Voice = new string('v', CallRequestLimits.VoiceMaxLength + 1) })),
            "call_config.voice");

    [TestCase(1)]
    [TestCase(1800)]
    [TestCase(86_400)]
    public void Validate_MaxDurationInRange_Passes(int seconds) =>
        AssertValid(Validator().Validate(WithConfig(c => c with { MaxDuration = seconds })));

    [TestCase(0)]
    [TestCase(-5)]
    [TestCase(86_401)]
    public void Validate_MaxDurationOutOfRange_FailsNamingCallConfigMaxDuration(int seconds)
    {
        var error = AssertSingleError(Validator().Validate(WithConfig(c => c with { MaxDuration = seconds })), "call_config.max_duration");

        Assert.That(error.ErrorMessage, Is.EqualTo("call_config.max_duration must be between 1 and 86400 seconds."));
    }

    [TestCase(5)]
    [TestCase(300)]
    public void Validate_RingTimeoutInRange_Passes(int seconds) =>
        AssertValid(Validator().Validate(WithConfig(c => c with { RingTimeout = seconds })));

    [TestCase(4)]
    [TestCase(301)]
    public void Validate_RingTimeoutOutOfRange_FailsNamingCallConfigRingTimeout(int seconds) =>
        AssertSingleError(Validator().Validate(WithConfig(c => c with { RingTimeout = seconds })), "call_config.ring_timeout");

    [TestCase(1)]
    [TestCase(86_400)]
    public void Validate_RetryDelaySecondsInRange_Passes(int seconds) =>
        AssertValid(Validator().Validate(WithConfig(c => c with { RetryDelaySeconds = seconds })));

    [TestCase(0)]
    [TestCase(86_401)]
    public void Validate_RetryDelaySecondsOutOfRange_FailsNamingCallConfigRetryDelaySeconds(int seconds) =>
        AssertSingleError(Validator().Validate(WithConfig(c => c with { RetryDelaySeconds = seconds })), "call_config.retry_delay_seconds");

    [TestCase("true")]
    [TestCase("false")]
    [TestCase("\"true\"")]
    [TestCase("\"false\"")]
    [TestCase("\"hangup\"")]
    [TestCase("\"Hangup\"")]
    [TestCase("null")]
    public void Validate_MachineDetectionAcceptedForm_Passes(string json) =>
        AssertValid(Validator().Validate(WithConfig(c => c with { MachineDetection = Element(json) })));

    [TestCase("\"yes\"")]
    [TestCase("\"\"")]
    [TestCase("1")]
    [TestCase("{}")]
    [TestCase("[]")]
    public void Validate_MachineDetectionOtherValue_FailsNamingCallConfigMachineDetection(string json) =>
        AssertSingleError(Validator().Validate(WithConfig(c => c with { MachineDetection = Element(json) })), "call_config.machine_detection");

    [TestCase("Asia/Kolkata")]
    [TestCase("America/New_York")]
    [TestCase("Asia/Calcutta")]
    [TestCase("UTC")]
    [TestCase("Etc/UTC")]
    public void Validate_IanaTimezone_Passes(string timezone) =>
        AssertValid(Validator().Validate(WithConfig(c => c with { Timezone = timezone })));

    [TestCase("")]
    [TestCase("IST")]
    [TestCase("Asia/Bangalore")]
    [TestCase("+05:30")]
    [TestCase("Etc/Unknown")]
    public void Validate_UnknownTimezone_FailsNamingCallConfigTimezone(string timezone)
    {
        var error = AssertSingleError(Validator().Validate(WithConfig(c => c with { Timezone = timezone })), "call_config.timezone");

        Assert.That(error.ErrorMessage, Does.Contain("IANA time zone id").And.Contain($"'{timezone}'"));
    }

    [TestCase("10:00", "18:00", null)]
    [TestCase("00:00", "24:00", new string[0])]
    [TestCase("09:30", "17:45", new[] { "mon", "tue", "wed", "thu", "fri" })]
    public void Validate_CallingWindow_Passes(string start, string end, string[]? days) =>
        AssertValid(Validator().Validate(WithConfig(c => c with { CallingWindow = new CallingWindowRequest { Start = start, End = end, Days = days } })));

    [TestCase(null, "18:00", null, "start and end")]
    [TestCase("10:00", null, null, "start and end")]
    [TestCase("18:00", "10:00", null, "start before end")]
    [TestCase("10:00", "10:00", null, "start before end")]
    [TestCase("10am", "18:00", null, "HH:mm")]
    [TestCase("22:00", "02:00", null, "same day")]
    [TestCase("10:00", "18:00", new[] { "monday" }, "days must list")]
    [TestCase("10:00", "18:00", new[] { "mon", "holiday" }, "days must list")]
    public void Validate_InvalidCallingWindow_FailsNamingCallConfigCallingWindowWithTheReason(string? start, string? end, string[]? days, string expected)
    {
        var request = WithConfig(c => c with { CallingWindow = new CallingWindowRequest { Start = start, End = end, Days = days } });

        var error = AssertSingleError(Validator().Validate(request), "call_config.calling_window");

        Assert.That(error.ErrorMessage, Does.StartWith("call_config.calling_window is not valid: ").And.Contain(expected));
    }

    [Test]
    public void Validate_SeveralBadConfigFields_ReportsEachUnderCallConfig()
    {
        var result = Validator().Validate(WithConfig(c => c with { AnswerUrl = "nope", MaxDuration = 0, AnswerMethod = "PUT" }));

        Assert.That(
            result.Errors.Select(e => e.PropertyName),
            Is.EquivalentTo(new[] { "call_config.answer_url", "call_config.answer_method", "call_config.max_duration" }));
    }

    private static string UrlOfLength(int length)
    {
        const string Prefix = "https://your-domain.com/";
        return Prefix + new string('a', length - Prefix.Length);
    }

    /// <summary>{"v":"aaa…"} of exactly <paramref name="bytes"/> bytes as compact JSON.</summary>
    private static System.Text.Json.JsonElement VariablesOfSize(int bytes) =>
        Element("{\"v\":\"" + new string('a', bytes - """{"v":""}""".Length) + "\"}");
}
