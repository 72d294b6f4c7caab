using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Storage;

namespace CallQueue.Tests.Storage;

/// <summary>A batch's progress (how many of its calls have ended) through create, update, requeue and withdraw: what batch.completed waits for.</summary>
public abstract partial class CallStoreContract
{
    [Test]
    public async Task GetBatchProgressAsync_CallsEndAndOneIsRequeued_CountsTheEndedOnes()
    {
        await Store.CreateAsync(
        [
            NewCall("b-1") with { BatchId = "b" },
            NewCall("b-2") with { BatchId = "b" },
            NewCall("b-3") with { BatchId = "b", Status = CallStatus.Blocked },
            NewCall("other") with { BatchId = "c" },
        ], None);
        var created = await Store.GetBatchProgressAsync("b", None);

        await Store.UpdateAsync("b-1", call => call with { Status = CallStatus.Completed }, None);
        await Store.UpdateAsync("b-2", call => call with { Status = CallStatus.Failed }, None);
        var ended = await Store.GetBatchProgressAsync("b", None);
        await Store.UpdateAsync("b-2", call => call with { Status = CallStatus.Queued }, None);
        var requeued = await Store.GetBatchProgressAsync("b", None);

        Assert.Multiple(async () =>
        {
            Assert.That(created, Is.EqualTo(new BatchProgress(3, 1)), "the blocked call is ended from the start");
            Assert.That(ended, Is.EqualTo(new BatchProgress(3, 3)));
            Assert.That(ended.IsComplete, Is.True);
            Assert.That(requeued, Is.EqualTo(new BatchProgress(3, 2)));
            Assert.That(await Store.GetBatchProgressAsync("nobody", None), Is.EqualTo(new BatchProgress(0, 0)));
            Assert.That((await Store.GetBatchProgressAsync("nobody", None)).IsComplete, Is.False);
        });
    }

    [Test]
    public async Task GetBatchProgressAsync_BlockedCallWithdrawn_IsNoLongerCounted()
    {
        var blocked = NewCall("b-1") with { BatchId = "b", Status = CallStatus.Blocked };
        await Store.CreateAsync([blocked, NewCall("b-2") with { BatchId = "b" }], None);

        var withdrawn = await Store.WithdrawAsync(blocked, None);

        Assert.Multiple(async () =>
        {
            Assert.That(withdrawn, Is.True);
            Assert.That(await Store.GetBatchProgressAsync("b", None), Is.EqualTo(new BatchProgress(1, 0)));
        });
    }
}
