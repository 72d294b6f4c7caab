using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Storage;

namespace CallQueue.Tests.Storage;

/// <summary>
/// Callee safety in the store: a call stored ended (blocked at queue time) never awaits a dial job, and
/// <see cref="ICallStore.CountWaitingByReasonAsync"/> counts waiting calls by their hold's rule through create, update and
/// withdraw.
/// </summary>
public abstract partial class CallStoreContract
{
    [Test]
    public async Task CreateAsync_BlockedCall_IsStoredButNeverAwaitsADialJob()
    {
        var blocked = NewCall("call_blocked") with { Status = CallStatus.Blocked, StatusReason = "Blocked: on the do-not-call list" };

        await Store.CreateAsync([blocked, NewCall("call_queued")], None);
        await LetTimePassAsync(TimeSpan.FromMinutes(5));

        Assert.That(Json(await Store.GetAsync("call_blocked", None)), Is.EqualTo(Json(blocked)));
        Assert.That(await CountAsync(CallStatus.Blocked), Is.EqualTo(1));
        Assert.That(await Store.GetCallsAwaitingJobAsync(TimeSpan.Zero, 10, None), Is.EqualTo(new[] { "call_queued" }));
    }

    [Test]
    public async Task CountWaitingByReasonAsync_EmptyStore_ZeroForEveryRule() =>
        Assert.That(await Store.CountWaitingByReasonAsync(None), Is.EqualTo(Enum.GetValues<SafetyRule>().ToDictionary(rule => rule, _ => 0L)));

    [Test]
    public async Task CountWaitingByReasonAsync_HeldCallsCreated_CountsEachUnderItsRule()
    {
        await Store.CreateAsync(
        [
            Held("call_a", SafetyRule.CallingHours),
            Held("call_b", SafetyRule.CallingHours),
            Held("call_c", SafetyRule.NumberGap),
            NewCall("call_d"),
            Held("call_e", SafetyRule.NumberBusy) with { Status = CallStatus.Cancelled },
        ], None);

        var waiting = await Store.CountWaitingByReasonAsync(None);

        Assert.Multiple(() =>
        {
            Assert.That(waiting[SafetyRule.CallingHours], Is.EqualTo(2));
            Assert.That(waiting[SafetyRule.NumberGap], Is.EqualTo(1));
            Assert.That(waiting[SafetyRule.NumberBusy], Is.Zero, "an ended call waits for nothing");
            Assert.That(waiting[SafetyRule.NumberCap], Is.Zero);
        });
    }

    [Test]
    public async Task CountWaitingByReasonAsync_HoldChangesReleasesAndEnds_FollowsEveryUpdate()
    {
        await Store.CreateAsync([Held("call_a", SafetyRule.CallingHours), NewCall("call_b")], None);

        await Store.UpdateAsync("call_b", call => call with { Status = CallStatus.Scheduled, Hold = new CallHold(SafetyRule.NumberCap, Clock.GetUtcNow().AddHours(1)) }, None);
        var bothHeld = await Store.CountWaitingByReasonAsync(None);
        await Store.UpdateAsync("call_a", call => call with { Hold = call.Hold! with { Rule = SafetyRule.NumberBusy } }, None);
        var moved = await Store.CountWaitingByReasonAsync(None);
        await Store.UpdateAsync("call_a", call => call with { Hold = call.Hold! with { Until = Clock.GetUtcNow().AddMinutes(5) } }, None);
        var sameRule = await Store.CountWaitingByReasonAsync(None);
        await Store.UpdateAsync("call_a", call => call with { Status = CallStatus.Dialing }, None);
        await Store.UpdateAsync("call_b", call => call with { Status = CallStatus.Expired, Hold = null }, None);
        var released = await Store.CountWaitingByReasonAsync(None);

        Assert.Multiple(() =>
        {
            Assert.That((bothHeld[SafetyRule.CallingHours], bothHeld[SafetyRule.NumberCap]), Is.EqualTo((1L, 1L)));
            Assert.That((moved[SafetyRule.CallingHours], moved[SafetyRule.NumberBusy]), Is.EqualTo((0L, 1L)));
            Assert.That(sameRule[SafetyRule.NumberBusy], Is.EqualTo(1), "a new Until under the same rule counts once");
            Assert.That(released.Values, Is.All.Zero, "dialing, or ended: not waiting");
        });
    }

    [Test]
    public async Task WithdrawAsync_HeldCall_TakesItsWaitingCountBack()
    {
        var held = Held("call_a", SafetyRule.CallingHours);
        await Store.CreateAsync([held], None);

        Assert.That(await Store.WithdrawAsync(held, None), Is.True);

        Assert.That((await Store.CountWaitingByReasonAsync(None)).Values, Is.All.Zero);
    }

    /// <summary>A call stored scheduled and held by <paramref name="rule"/> for an hour, as the queue endpoints store one.</summary>
    private CallRecord Held(string callId, SafetyRule rule)
    {
        var until = Clock.GetUtcNow().AddHours(1);
        return NewCall(callId) with { Status = CallStatus.Scheduled, StatusReason = "held", NextAttemptAt = until, Hold = new CallHold(rule, until) };
    }
}
