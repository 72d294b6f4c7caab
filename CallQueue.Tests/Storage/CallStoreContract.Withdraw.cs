using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Storage;

namespace CallQueue.Tests.Storage;

/// <summary>
/// <see cref="ICallStore.WithdrawAsync"/>: a call stored exactly as a failed request wrote it is taken back with its index
/// entries; one that moved on (a dial job, another request's call under the id) is left alone.
/// </summary>
public abstract partial class CallStoreContract
{
    [Test]
    public async Task WithdrawAsync_StoredAsWritten_DeletesTheCallAndItsIndexEntries()
    {
        var call = NewCall("call_a") with { BatchId = "batch-1", IdempotencyKey = "key-1" };
        await Store.CreateAsync([call], None);

        var withdrawn = await Store.WithdrawAsync(call, None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(withdrawn, Is.True);
            Assert.That(await Store.GetAsync(call.CallId, None), Is.Null);
            Assert.That(await Store.GetBatchCallIdsAsync("batch-1", None), Is.Empty);
            Assert.That(await Store.GetCampaignCallIdsAsync(call.CampaignId, null, 10, None), Is.Empty);
            Assert.That(await Store.GetCallsAwaitingJobAsync(TimeSpan.Zero, 10, None), Is.Empty);
            Assert.That(await CountAsync(CallStatus.Queued), Is.Zero);
            Assert.That((await Store.CreateAsync([call], None))[0].Created, Is.True, "the id and the key are free again");
        });
    }

    [Test]
    public async Task WithdrawAsync_DialJobAssignedMeanwhile_LeavesTheCall()
    {
        var call = NewCall("call_a");
        await Store.CreateAsync([call], None);
        await Store.AssignJobAsync(call, "job-1", None);

        Assert.That(await Store.WithdrawAsync(call, None), Is.False);
        Assert.That((await Store.GetAsync(call.CallId, None))!.JobId, Is.EqualTo("job-1"));
    }

    [Test]
    public async Task WithdrawAsync_AnotherRequestsCallUnderTheId_LeavesIt()
    {
        var theirs = NewCall("call_a");
        await Store.CreateAsync([theirs], None);
        var ours = theirs with { CreatedAt = theirs.CreatedAt.AddSeconds(1), PhoneNumber = "+14155550123" };

        Assert.That(await Store.WithdrawAsync(ours, None), Is.False, "our write never landed: the id was taken");
        Assert.That((await Store.GetAsync(theirs.CallId, None))!.PhoneNumber, Is.EqualTo(theirs.PhoneNumber));
    }

    [Test]
    public async Task WithdrawAsync_IdempotencyKeyNowNamesAnotherCall_LeavesTheKey()
    {
        var ours = NewCall("call_a") with { IdempotencyKey = "key-1" };
        await Store.CreateAsync([ours], None);
        await LetTimePassAsync(IdempotencyKeyLifetime + TimeSpan.FromMinutes(1));
        await Store.CreateAsync([NewCall("call_b") with { IdempotencyKey = "key-1" }], None);

        Assert.That(await Store.WithdrawAsync(ours, None), Is.True);

        var retry = await Store.CreateAsync([NewCall("call_c") with { IdempotencyKey = "key-1" }], None);
        Assert.That(retry[0], Is.EqualTo(new CreateCallResult("call_b", Created: false)));
    }

    [Test]
    public async Task WithdrawAsync_NeverStored_ReturnsFalse() =>
        Assert.That(await Store.WithdrawAsync(NewCall("call_a"), None), Is.False);
}
