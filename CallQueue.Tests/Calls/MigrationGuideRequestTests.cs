using System.Text.Json;
using CallQueue.Api.Calls;
using CallQueue.Jobs.Calls;
using static CallQueue.Tests.Calls.CallRequestTestData;

namespace CallQueue.Tests.Calls;

/// <summary>
/// Every request body in seed/MIGRATION_GUIDE.md, verbatim, must read and validate (DESIGN.md §5). Type errors
/// (a number where a string belongs) are JsonExceptions, turned into 400s by the API's exception handling.
/// </summary>
[TestFixture]
public sealed class MigrationGuideRequestTests
{
    // "Update Backend Integration", the body built with JSON.stringify (as JSON).
    private const string BackendIntegrationBody = """
        {
          "phone_number": "+919123456789",
          "campaign_id": "campaign-123",
          "call_config": {
            "flow_name": "wishfin-test",
            "variables": { "name": "John Doe" },
            "answer_url": "https://your-domain.com/outbound-answer"
          }
        }
        """;

    // "Verify Migration", curl -d body.
    private const string TestCallBody = """
        {
            "phone_number": "+919123456789",
            "campaign_id": "test-migration",
            "call_config": {
              "flow_name": "wishfin-test",
              "answer_url": "https://your-domain.com/outbound-answer"
            }
          }
        """;

    // "Enhanced Call Config", with its comment.
    private const string EnhancedCallConfigBody = """
        {
          "phone_number": "+919123456789",
          "campaign_id": "campaign-123",
          "call_config": {
            "flow_name": "wishfin-test",
            "answer_url": "https://your-domain.com/outbound-answer",  // NEW: Required
            "variables": {
              "name": "John Doe",
              "email": "john@example.com"
            },
            "voice": "en-US",
            "max_duration": 1800,
            "recording_enabled": true
          },
          "priority": "normal",
          "max_retries": 3
        }
        """;

    // "Gradual Migration", curl -d body to /api/calls/bulk-queue.
    private const string BulkBody = """
        {
            "batch_id": "migration-test-1",
            "calls": [
              {
                "phone_number": "+919123456789",
                "campaign_id": "test-campaign",
                "call_config": {
                  "flow_name": "wishfin-test",
                  "answer_url": "https://your-domain.com/outbound-answer"
                }
              }
            ]
          }
        """;

    [TestCase(BackendIntegrationBody)]
    [TestCase(TestCallBody)]
    [TestCase(EnhancedCallConfigBody)]
    public void Validate_GuideQueueBody_Passes(string body) =>
        AssertValid(Validator().Validate(Read<QueueCallRequest>(body)));

    [Test]
    public void Deserialize_EnhancedCallConfigBody_ReadsEveryField()
    {
        var request = Read<QueueCallRequest>(EnhancedCallConfigBody);
        var config = request.CallConfig!;

        Assert.That(request.PhoneNumber, Is.EqualTo("+919123456789"));
        Assert.That(request.CampaignId, Is.EqualTo("campaign-123"));
        Assert.That(request.ParsePriority(), Is.EqualTo(CallPriority.Normal));
        Assert.That(request.MaxRetries, Is.EqualTo(3));
        Assert.That(config.FlowName, Is.EqualTo("wishfin-test"));
        Assert.That(config.AnswerUrl, Is.EqualTo("https://your-domain.com/outbound-answer"));
        Assert.That(config.Variables!.Value.GetProperty("email").GetString(), Is.EqualTo("john@example.com"));
        Assert.That(config.Voice, Is.EqualTo("en-US"));
        Assert.That(config.MaxDuration, Is.EqualTo(1800));
        Assert.That(config.RecordingEnabled, Is.True);
    }

    [Test]
    public void Validate_GuideBulkBody_PassesWithEveryItemValid()
    {
        var request = Read<BulkQueueRequest>(BulkBody);

        AssertValid(new BulkQueueRequestValidator().Validate(request));
        Assert.That(request.BatchId, Is.EqualTo("migration-test-1"));
        Assert.That(request.Calls, Has.Count.EqualTo(1));
        AssertValid(Validator().Validate(request.Calls![0]!));
    }

    [Test]
    public void Deserialize_UnknownFields_AreIgnored() =>
        AssertValid(Validator().Validate(Read<QueueCallRequest>("""
            {"phone_number": "+919123456789", "campaign_id": "c", "legacy_flag": 1,
             "call_config": {"answer_url": "https://your-domain.com/a", "temporal_queue": "x"}}
            """)));

    [Test]
    public void Deserialize_OursAlongsideTheSeedFields_ReadsThem()
    {
        var request = Read<QueueCallRequest>("""
            {"phone_number": "+14155550123", "campaign_id": "c", "custom_call_id": "crm-42",
             "scheduled_at": "2026-03-02T09:30:00Z", "priority": "urgent",
             "call_config": {"answer_url": "https://your-domain.com/a", "answer_method": "GET", "ring_timeout": 30,
                             "retry_delay_seconds": 120, "machine_detection": "hangup"}}
            """);

        AssertValid(Validator().Validate(request));
        Assert.That(request.CallConfig!.RingTimeout, Is.EqualTo(30));
        Assert.That(request.CallConfig.RetryDelaySeconds, Is.EqualTo(120));
        Assert.That(request.CallConfig.ParseMachineDetection(), Is.EqualTo("hangup"));
        Assert.That(request.ParseScheduledAt(), Is.EqualTo(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero)));
    }

    [Test]
    public void Deserialize_BulkWithNullItem_KeepsTheNullForPerItemReporting() =>
        Assert.That(Read<BulkQueueRequest>("""{"calls": [null]}""").Calls, Is.EqualTo(new QueueCallRequest?[] { null }));

    [TestCase("""{"phone_number": 919123456789}""")]
    [TestCase("""{"call_config": {"recording_enabled": "yes"}}""")]
    [TestCase("""{"call_config": "https://your-domain.com/a"}""")]
    [TestCase("""{"max_retries": 3.5}""")]
    public void Deserialize_WronglyTypedField_ThrowsJsonException(string body) =>
        Assert.That(() => Read<QueueCallRequest>(body), Throws.InstanceOf<JsonException>());

    [Test]
    public void Deserialize_NumberAsString_IsReadAsNumber()
    {
        // JsonSerializerDefaults.Web reads numbers from strings, as the seed (pydantic) coerced them.
        var request = Read<QueueCallRequest>("""{"max_retries": "3"}""");

        Assert.That(request.MaxRetries, Is.EqualTo(3));
    }

    private static T Read<T>(string body) =>
        JsonSerializer.Deserialize<T>(body, Json) ?? throw new AssertionException("body read as null");
}
