using CallQueue.Api.Calls;
using static CallQueue.Tests.Calls.CallRequestTestData;

namespace CallQueue.Tests.Calls;

[TestFixture]
public sealed class BulkQueueRequestValidatorTests
{
    private static readonly BulkQueueRequestValidator Validator = new(Clock());

    [Test]
    public void Validate_BatchWithOneCall_Passes() =>
        AssertValid(Validator.Validate(new BulkQueueRequest { BatchId = "migration-test-1", Calls = [ValidRequest()] }));

    [Test]
    public void Validate_NoBatchId_Passes() =>
        AssertValid(Validator.Validate(new BulkQueueRequest { Calls = [ValidRequest()] }));

    [TestCase("migration-test-1")]
    [TestCase("crm:2026-03-01_run.2")]
    public void Validate_BatchIdOfAllowedCharacters_Passes(string batchId) =>
        AssertValid(Validator.Validate(new BulkQueueRequest { BatchId = batchId, Calls = [ValidRequest()] }));

    [Test]
    public void Validate_BatchIdAtMaxLength_Passes() =>
        AssertValid(Validator.Validate(new BulkQueueRequest { BatchId = new string('b', CallRequestLimits.IdMaxLength), Calls = [ValidRequest()] }));

    [TestCase("")]
    [TestCase("migration test")]
    [TestCase("batch/1")]
    [TestCase("lot-№1")]
    public void Validate_BatchIdWithDisallowedCharacters_FailsNamingBatchId(string batchId) =>
        AssertSingleError(Validator.Validate(new BulkQueueRequest { BatchId = batchId, Calls = [ValidRequest()] }), "batch_id");

    [Test]
    public void Validate_BatchIdTooLong_FailsNamingBatchId() =>
        AssertSingleError(
            Validator.Validate(new BulkQueueRequest { BatchId = new string('b', CallRequestLimits.IdMaxLength + 1), Calls = [ValidRequest()] }),
            "batch_id");

    [Test]
    public void Validate_MissingCalls_FailsNamingCalls()
    {
        var error = AssertSingleError(Validator.Validate(new BulkQueueRequest { BatchId = "b1" }), "calls");

        Assert.That(error.ErrorMessage, Does.Contain("required"));
    }

    [Test]
    public void Validate_EmptyCalls_FailsNamingCalls()
    {
        var error = AssertSingleError(Validator.Validate(new BulkQueueRequest { Calls = [] }), "calls");

        Assert.That(error.ErrorMessage, Does.Contain("at least one"));
    }

    [Test]
    public void Validate_MaxBatchSize_Passes() =>
        AssertValid(Validator.Validate(new BulkQueueRequest { Calls = Enumerable.Repeat<QueueCallRequest?>(ValidRequest(), CallRequestLimits.MaxBatchSize).ToList() }));

    [Test]
    public void Validate_OverMaxBatchSize_FailsNamingCallsWithCount()
    {
        var calls = Enumerable.Repeat<QueueCallRequest?>(ValidRequest(), CallRequestLimits.MaxBatchSize + 1).ToList();

        var error = AssertSingleError(Validator.Validate(new BulkQueueRequest { Calls = calls }), "calls");

        Assert.That(error.ErrorMessage, Does.Contain("at most 10000 calls (got 10001)"));
    }

    [Test]
    public void Validate_InvalidAndNullItems_PassesBecauseItemsAreValidatedOneByOne() =>
        AssertValid(Validator.Validate(new BulkQueueRequest { Calls = [new QueueCallRequest(), null, ValidRequest()] }));

    [Test]
    public void Validate_DefaultExpiresAtInTheFuture_Passes() =>
        AssertValid(Validator.Validate(new BulkQueueRequest { ExpiresAt = "2026-03-01T18:00:00+05:30", Calls = [ValidRequest()] }));

    [TestCase("tonight", "ISO 8601")]
    [TestCase("2026-03-01T12:00:00Z", "in the future")]
    [TestCase("2026-02-01T00:00:00Z", "in the future")]
    public void Validate_BadDefaultExpiresAt_FailsNamingExpiresAt(string expiresAt, string expected)
    {
        var error = AssertSingleError(Validator.Validate(new BulkQueueRequest { ExpiresAt = expiresAt, Calls = [ValidRequest()] }), "expires_at");

        Assert.That(error.ErrorMessage, Does.Contain(expected));
    }
}
