using CallQueue.Api.Calls;
using static CallQueue.Tests.Calls.CallRequestTestData;

namespace CallQueue.Tests.Calls;

[TestFixture]
public sealed class QueueCallRequestValidatorTests
{
    [Test]
    public void Validate_MinimalRequest_Passes() => AssertValid(Validator().Validate(ValidRequest()));

    [Test]
    public void Validate_EmptyRequest_FailsNamingEachRequiredField()
    {
        var result = Validator().Validate(new QueueCallRequest());

        Assert.That(result.Errors.Select(e => e.PropertyName), Is.EquivalentTo(new[] { "phone_number", "campaign_id", "call_config" }));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    public void Validate_MissingPhoneNumber_FailsNamingPhoneNumber(string? phoneNumber)
    {
        var result = Validator().Validate(ValidRequest() with { PhoneNumber = phoneNumber });

        var error = AssertSingleError(result, "phone_number");
        Assert.That(error.ErrorMessage, Does.Contain("required").And.Contain("+919123456789"));
    }

    [TestCase("+919123456789")]
    [TestCase("+919876543210")]
    [TestCase("+14155550123")]
    [TestCase("+12125551234")]
    [TestCase("+442079460958")]
    [TestCase("+4915123456789")]
    [TestCase("+61412345678")]
    public void Validate_ValidE164Number_Passes(string phoneNumber) =>
        AssertValid(Validator().Validate(ValidRequest() with { PhoneNumber = phoneNumber }));

    [TestCase("919123456789")]
    [TestCase("09123456789")]
    [TestCase("+91 91234 56789")]
    [TestCase("+91-91234-56789")]
    [TestCase("(415) 555-0123")]
    [TestCase("+919123456789 ")]
    [TestCase("++919123456789")]
    [TestCase("+0919123456789")]
    [TestCase("+1234567")]
    [TestCase("+1234567890123456")]
    [TestCase("+91912345678O")]
    [TestCase("+")]
    public void Validate_PhoneNumberNotE164_FailsWithE164Example(string phoneNumber)
    {
        var result = Validator().Validate(ValidRequest() with { PhoneNumber = phoneNumber });

        var error = AssertSingleError(result, "phone_number");
        Assert.That(error.ErrorMessage, Does.StartWith("phone_number must be in E.164 format, e.g. +919123456789"));
    }

    [TestCase("+9191234567890", "+91 (IN)")]
    [TestCase("+1415555012", "+1 (US)")]
    [TestCase("+447700900123", "+44 (GB)")]
    [TestCase("+99912345678", "country code")]
    public void Validate_PhoneNumberInvalidForItsCountry_FailsNamingTheCountryCode(string phoneNumber, string expectedInMessage)
    {
        var result = Validator().Validate(ValidRequest() with { PhoneNumber = phoneNumber });

        var error = AssertSingleError(result, "phone_number");
        Assert.That(error.ErrorMessage, Does.StartWith("phone_number is not a valid phone number: ").And.Contain(expectedInMessage));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("  ")]
    public void Validate_MissingCampaignId_FailsNamingCampaignId(string? campaignId) =>
        AssertSingleError(Validator().Validate(ValidRequest() with { CampaignId = campaignId }), "campaign_id");

    [TestCase("campaign-123")]
    [TestCase("Diwali 2025 — कैम्पेन")]
    public void Validate_CampaignIdWithAnyPrintableText_Passes(string campaignId) =>
        AssertValid(Validator().Validate(ValidRequest() with { CampaignId = campaignId }));

    [Test]
    public void Validate_CampaignIdAtMaxLength_Passes() =>
        AssertValid(Validator().Validate(ValidRequest() with { CampaignId = new string('c', CallRequestLimits.CampaignIdMaxLength) }));

    [Test]
    public void Validate_CampaignIdTooLong_FailsNamingCampaignId() =>
        AssertSingleError(Validator().Validate(ValidRequest() with { CampaignId = new string('c', CallRequestLimits.CampaignIdMaxLength + 1) }), "campaign_id");

    [TestCase("campaign\n1")]
    [TestCase("campaign\u00001")]
    public void Validate_CampaignIdWithControlCharacter_FailsNamingCampaignId(string campaignId) =>
        AssertSingleError(Validator().Validate(ValidRequest() with { CampaignId = campaignId }), "campaign_id");

    [Test]
    public void Validate_MissingCallConfig_FailsNamingCallConfig()
    {
        var error = AssertSingleError(Validator().Validate(ValidRequest() with { CallConfig = null }), "call_config");

        Assert.That(error.ErrorMessage, Does.Contain("answer_url"));
    }

    [TestCase("order-123")]
    [TestCase("crm:lead_42.v2")]
    [TestCase("A")]
    public void Validate_CustomCallIdOfAllowedCharacters_Passes(string customCallId) =>
        AssertValid(Validator().Validate(ValidRequest() with { CustomCallId = customCallId }));

    [Test]
    public void Validate_CustomCallIdAtMaxLength_Passes() =>
        AssertValid(Validator().Validate(ValidRequest() with { CustomCallId = new string('x', CallRequestLimits.IdMaxLength) }));

    [TestCase("")]
    [TestCase("has space")]
    [TestCase("a/b")]
    [TestCase("ünïcode")]
    [TestCase("id\n")]
    public void Validate_CustomCallIdWithDisallowedCharacters_FailsNamingCustomCallId(string customCallId) =>
        AssertSingleError(Validator().Validate(ValidRequest() with { CustomCallId = customCallId }), "custom_call_id");

    [Test]
    public void Validate_CustomCallIdTooLong_FailsNamingCustomCallId() =>
        AssertSingleError(Validator().Validate(ValidRequest() with { CustomCallId = new string('x', CallRequestLimits.IdMaxLength + 1) }), "custom_call_id");

    [TestCase("2026-03-02T09:30:00Z")]
    [TestCase("2026-03-02T09:30:00.123Z")]
    [TestCase("2026-03-02T09:30:00.123456+00:00")]
    [TestCase("2026-03-02T15:00:00+05:30")]
    [TestCase("2026-03-02T09:30:00")]
    [TestCase("2026-03-02 09:30:00")]
    [TestCase("2026-03-02T09:30Z")]
    public void Validate_ScheduledAtInIsoFormat_Passes(string scheduledAt) =>
        AssertValid(Validator().Validate(ValidRequest() with { ScheduledAt = scheduledAt }));

    [TestCase("")]
    [TestCase("tomorrow")]
    [TestCase("2026-13-01T00:00:00Z")]
    [TestCase("03/02/2026 09:30")]
    [TestCase("2026-03-02")]
    [TestCase(" 2026-03-02T09:30:00Z")]
    [TestCase("1772443800")]
    public void Validate_ScheduledAtNotIso_FailsNamingScheduledAt(string scheduledAt)
    {
        var error = AssertSingleError(Validator().Validate(ValidRequest() with { ScheduledAt = scheduledAt }), "scheduled_at");

        Assert.That(error.ErrorMessage, Does.Contain("ISO 8601"));
    }

    [TestCase("2026-02-28T13:00:00Z", TestName = "Validate_ScheduledAt23HoursAgo_Passes")]
    [TestCase("2027-03-01T12:00:00Z", TestName = "Validate_ScheduledAtExactly365DaysAhead_Passes")]
    public void Validate_ScheduledAtWithinRange_Passes(string scheduledAt) =>
        AssertValid(Validator().Validate(ValidRequest() with { ScheduledAt = scheduledAt }));

    [Test]
    public void Validate_ScheduledAtMoreThanOneDayAgo_FailsNamingScheduledAt()
    {
        var error = AssertSingleError(Validator().Validate(ValidRequest() with { ScheduledAt = "2026-02-28T11:59:59Z" }), "scheduled_at");

        Assert.That(error.ErrorMessage, Does.Contain("in the past"));
    }

    [Test]
    public void Validate_ScheduledAtMoreThan365DaysAhead_FailsNamingScheduledAt()
    {
        var error = AssertSingleError(Validator().Validate(ValidRequest() with { ScheduledAt = "2027-03-01T12:00:01Z" }), "scheduled_at");

        Assert.That(error.ErrorMessage, Does.Contain("365 days ahead"));
    }

    [Test]
    public void Validate_ClockMoves_RangeFollowsTheInjectedTimeProvider()
    {
        var clock = Clock();
        var validator = new QueueCallRequestValidator(clock);
        var request = ValidRequest() with { ScheduledAt = "2026-03-01T00:00:00Z" };
        AssertValid(validator.Validate(request));

        clock.Advance(TimeSpan.FromDays(2));

        AssertSingleError(validator.Validate(request), "scheduled_at");
    }

    [TestCase("2026-03-01T12:00:01Z")]
    [TestCase("2026-03-02T09:30:00+05:30")]
    [TestCase("2026-03-08 18:00")]
    public void Validate_ExpiresAtInTheFuture_Passes(string expiresAt) =>
        AssertValid(Validator().Validate(ValidRequest() with { ExpiresAt = expiresAt }));

    [TestCase("")]
    [TestCase("next week")]
    [TestCase("2026-03-08")]
    public void Validate_ExpiresAtNotIso_FailsNamingExpiresAt(string expiresAt)
    {
        var error = AssertSingleError(Validator().Validate(ValidRequest() with { ExpiresAt = expiresAt }), "expires_at");

        Assert.That(error.ErrorMessage, Does.Contain("ISO 8601"));
    }

    [TestCase("2026-03-01T12:00:00Z", TestName = "Validate_ExpiresAtNow_FailsNamingExpiresAt")]
    [TestCase("2026-02-28T12:00:00Z", TestName = "Validate_ExpiresAtInThePast_FailsNamingExpiresAt")]
    public void Validate_ExpiresAtNotInTheFuture_FailsNamingExpiresAt(string expiresAt)
    {
        var error = AssertSingleError(Validator().Validate(ValidRequest() with { ExpiresAt = expiresAt }), "expires_at");

        Assert.That(error.ErrorMessage, Does.Contain("must be in the future"));
    }

    [TestCase("2026-03-02T09:00:00Z", TestName = "Validate_ExpiresAtBeforeScheduledAt_FailsNamingExpiresAt")]
    [TestCase("2026-03-02T10:00:00Z", TestName = "Validate_ExpiresAtAtScheduledAt_FailsNamingExpiresAt")]
    public void Validate_ExpiresAtNotAfterScheduledAt_FailsNamingExpiresAt(string expiresAt)
    {
        var request = ValidRequest() with { ScheduledAt = "2026-03-02T10:00:00Z", ExpiresAt = expiresAt };

        var error = AssertSingleError(Validator().Validate(request), "expires_at");

        Assert.That(error.ErrorMessage, Does.Contain("after scheduled_at"));
    }

    [Test]
    public void Validate_ExpiresAtAfterScheduledAt_Passes() =>
        AssertValid(Validator().Validate(ValidRequest() with { ScheduledAt = "2026-03-02T10:00:00Z", ExpiresAt = "2026-03-02T10:00:01Z" }));

    [Test]
    public void Validate_ScheduledAtNotIsoWithExpiresAt_ReportsOnlyScheduledAt() =>
        AssertSingleError(Validator().Validate(ValidRequest() with { ScheduledAt = "tomorrow", ExpiresAt = "2026-03-02T10:00:00Z" }), "scheduled_at");

    [TestCase("+80012345678", TestName = "Validate_InternationalFreephoneWithoutTimezone_FailsNamingCallConfigTimezone")]
    [TestCase("+870773111632", TestName = "Validate_InmarsatWithoutTimezone_FailsNamingCallConfigTimezone")]
    public void Validate_NumberWhoseZoneIsUnknownWithoutTimezone_FailsNamingCallConfigTimezone(string phoneNumber)
    {
        var error = AssertSingleError(Validator().Validate(ValidRequest() with { PhoneNumber = phoneNumber }), "call_config.timezone");

        Assert.That(error.ErrorMessage, Does.Contain("time zone is unknown").And.Contain("IANA"));
    }

    [Test]
    public void Validate_NumberWhoseZoneIsUnknownWithTimezone_Passes() =>
        AssertValid(Validator().Validate(WithConfig(c => c with { Timezone = "Europe/Zurich" }) with { PhoneNumber = "+80012345678" }));

    [Test]
    public void Validate_NotAValidNumber_ReportsOnlyPhoneNumberNotItsZone() =>
        AssertSingleError(Validator().Validate(ValidRequest() with { PhoneNumber = "+15555555555" }), "phone_number");

    [TestCase("low")]
    [TestCase("normal")]
    [TestCase("high")]
    [TestCase("urgent")]
    [TestCase("URGENT")]
    [TestCase("High")]
    public void Validate_KnownPriorityInAnyCase_Passes(string priority) =>
        AssertValid(Validator().Validate(ValidRequest() with { Priority = priority }));

    [TestCase("")]
    [TestCase("medium")]
    [TestCase("1")]
    [TestCase("normal ")]
    [TestCase("Urgent,Low")]
    public void Validate_UnknownPriority_FailsNamingPriority(string priority)
    {
        var error = AssertSingleError(Validator().Validate(ValidRequest() with { Priority = priority }), "priority");

        Assert.That(error.ErrorMessage, Is.EqualTo("priority must be one of low, normal, high, urgent."));
    }

    [TestCase(0)]
    [TestCase(3)]
    [TestCase(10)]
    public void Validate_MaxRetriesInRange_Passes(int maxRetries) =>
        AssertValid(Validator().Validate(ValidRequest() with { MaxRetries = maxRetries }));

    [TestCase(-1)]
    [TestCase(11)]
    public void Validate_MaxRetriesOutOfRange_FailsNamingMaxRetries(int maxRetries)
    {
        var error = AssertSingleError(Validator().Validate(ValidRequest() with { MaxRetries = maxRetries }), "max_retries");

        Assert.That(error.ErrorMessage, Is.EqualTo("max_retries must be between 0 and 10."));
    }
}
