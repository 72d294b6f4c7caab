using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Storage;

namespace CallQueue.Tests.Storage;

/// <summary>
/// <see cref="ICallStore.UpdateAsync"/> (compare-and-set: no lost update, a null mutation writes nothing) and
/// <see cref="ICallStore.AssignJobAsync(string, string, CancellationToken)"/> (the first job wins), both overloads.
/// </summary>
public abstract partial class CallStoreContract
{
    [Test]
    public async Task UpdateAsync_Mutation_StoresItStampedWithTheClock()
    {
        await Store.CreateAsync([NewCall("call_a")], None);
        await LetTimePassAsync(TimeSpan.FromSeconds(5));

        var updated = await Store.UpdateAsync("call_a", call => call with { StatusReason = "changed" }, None);

        Assert.That(updated!.StatusReason, Is.EqualTo("changed"));
        Assert.That(updated.UpdatedAt, Is.EqualTo(Clock.GetUtcNow()));
        Assert.That(Json(await Store.GetAsync("call_a", None)), Is.EqualTo(Json(updated)));
    }

    [Test]
    public async Task UpdateAsync_MutateReturnsNull_WritesNothing()
    {
        var call = NewCall("call_a");
        await Store.CreateAsync([call], None);
        await LetTimePassAsync(TimeSpan.FromSeconds(5));

        var unchanged = await Store.UpdateAsync("call_a", _ => null, None);

        Assert.That(Json(unchanged), Is.EqualTo(Json(call)), "the stored record, not restamped");
        Assert.That(Json(await Store.GetAsync("call_a", None)), Is.EqualTo(Json(call)));
        Assert.That(await Store.WithdrawAsync(call, None), Is.True, "still untouched since it was written");
    }

    [Test]
    public async Task UpdateAsync_UnknownCall_ReturnsNullWithoutMutating()
    {
        var mutated = false;

        var result = await Store.UpdateAsync("call_unknown", call => { mutated = true; return call; }, None);

        Assert.That(result, Is.Null);
        Assert.That(mutated, Is.False);
    }

    [Test]
    public async Task UpdateAsync_AnotherUpdateLandsBetweenReadAndWrite_BothApply()
    {
        await Store.CreateAsync([NewCall("call_a")], None);
        var otherProcess = await ConnectAnotherProcessAsync();
        await otherProcess.UpdateAsync("call_a", call => call with { MaxRetries = 1 }, None); // warm: its next write is quick
        using var secondDone = new ManualResetEventSlim();
        var firstRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstRuns = 0;

        // The first mutation holds its read until the other process's update has landed (Redis: the first write then
        // conflicts and runs again on the new record), or for a bounded time (memory: the second update waits for the
        // first to finish).
        var first = Task.Run(() => Store.UpdateAsync("call_a", call =>
        {
            Interlocked.Increment(ref firstRuns);
            if (firstRead.TrySetResult())
            {
                secondDone.Wait(TimeSpan.FromMilliseconds(500));
            }

            return call with { StatusReason = "first" };
        }, None));
        await firstRead.Task;
        var second = Task.Run(async () =>
        {
            await otherProcess.UpdateAsync("call_a", call => call with { MaxRetries = call.MaxRetries + 1 }, None);
            secondDone.Set();
        });
        await Task.WhenAll(first, second);
        await TestContext.Out.WriteLineAsync($"the first mutation ran {firstRuns} time(s)");

        var stored = await Store.GetAsync("call_a", None);
        Assert.That(stored!.StatusReason, Is.EqualTo("first"));
        Assert.That(stored.MaxRetries, Is.EqualTo(2), "the second update is not lost");
    }

    [Test]
    public async Task UpdateAsync_TwentyConcurrentIncrements_NoneLost()
    {
        await Store.CreateAsync([NewCall("call_a")], None);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() =>
            Store.UpdateAsync("call_a", call => call with { MaxRetries = call.MaxRetries + 1 }, None))));

        Assert.That((await Store.GetAsync("call_a", None))!.MaxRetries, Is.EqualTo(20));
    }

    [Test]
    public async Task UpdateAsync_StatusChanges_MovesTheCountsAndTheActiveIds()
    {
        await Store.CreateAsync([NewCall("call_a"), NewCall("call_b")], None);

        await Store.UpdateAsync("call_a", call => call with { Status = CallStatus.Dialing }, None);

        Assert.That(await CountAsync(CallStatus.Queued), Is.EqualTo(1));
        Assert.That(await CountAsync(CallStatus.Dialing), Is.EqualTo(1));
        Assert.That(await Store.GetActiveCallIdsAsync(10, None), Is.EqualTo(new[] { "call_a" }));

        await Store.UpdateAsync("call_a", call => call with { Status = CallStatus.Completed }, None);

        Assert.That(await CountAsync(CallStatus.Dialing), Is.Zero);
        Assert.That(await CountAsync(CallStatus.Completed), Is.EqualTo(1));
        Assert.That(await Store.GetActiveCallIdsAsync(10, None), Is.Empty);
    }

    [Test]
    public async Task AssignJobAsync_ById_FirstJobWins()
    {
        await Store.CreateAsync([NewCall("call_a")], None);

        var first = await Store.AssignJobAsync("call_a", "job-1", None);
        var second = await Store.AssignJobAsync("call_a", "job-2", None);

        Assert.That((first, second), Is.EqualTo(("job-1", "job-1")));
        Assert.That((await Store.GetAsync("call_a", None))!.JobId, Is.EqualTo("job-1"));
        Assert.That(await Store.GetCallsAwaitingJobAsync(TimeSpan.Zero, 10, None), Is.Empty);
    }

    [Test]
    public async Task AssignJobAsync_RecordAsStored_WritesJobAndLeavesAwaitingJob()
    {
        var call = NewCall("call_a");
        await Store.CreateAsync([call], None);

        var owner = await Store.AssignJobAsync(call, "job-1", None);

        Assert.That(owner, Is.EqualTo("job-1"));
        Assert.That((await Store.GetAsync(call.CallId, None))!.JobId, Is.EqualTo("job-1"));
        Assert.That(await Store.GetCallsAwaitingJobAsync(TimeSpan.Zero, 10, None), Is.Empty);
    }

    [Test]
    public async Task AssignJobAsync_RecordChangedMeanwhile_KeepsTheChangeAndTheFirstOwner()
    {
        var call = NewCall("call_a");
        await Store.CreateAsync([call], None);
        await Store.AssignJobAsync(call.CallId, "job-1", None);
        await Store.UpdateAsync(call.CallId, stored => stored with { StatusReason = "changed" }, None);

        var owner = await Store.AssignJobAsync(call, "job-2", None);

        var stored = await Store.GetAsync(call.CallId, None);
        Assert.That(owner, Is.EqualTo("job-1"));
        Assert.That(stored!.JobId, Is.EqualTo("job-1"));
        Assert.That(stored.StatusReason, Is.EqualTo("changed"));
    }

    [Test]
    public async Task AssignJobAsync_UnknownCall_ReturnsNull()
    {
        Assert.That(await Store.AssignJobAsync("call_unknown", "job-1", None), Is.Null);
        Assert.That(await Store.AssignJobAsync(NewCall("call_unknown"), "job-1", None), Is.Null);
        Assert.That(await Store.GetAsync("call_unknown", None), Is.Null);
    }
}
