using CallQueue.Api.Sandbox;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Lifecycle;
using CallQueue.Tests.EndToEnd;
using CallQueue.Tests.Support;

namespace CallQueue.Tests.Lifecycle;

/// <summary>Calls whose hangup callback never came are settled from Plivo's records by the reconciler.</summary>
[TestFixture]
public sealed class ReconcilerEndToEndTests
{
    [Test]
    public async Task LostHangupCallback_TheReconcilerSettlesTheCallFromTheCallDetailRecord()
    {
        await using var app = CallQueueApp.WithRedis(new Dictionary<string, string?> { ["RECONCILE_GRACE_SECONDS"] = "1" });
        app.Service<PlivoSandbox>().SetNumberScript("+14155550187", new SandboxNumberScript(SandboxOutcome.Answered, RingSeconds: 0, TalkSeconds: 1, LoseHangupCallback: true));
        var callId = await DialingEndToEndTests.QueueAsync(app, """
            { "phone_number": "+14155550187", "campaign_id": "e2e", "call_config": { "answer_url": "https://a.example/x", "ring_timeout": 5 } }
            """);
        await app.WaitForCallAsync(callId, c => c.LastAttempt?.RingingAt is not null);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var stuck = await app.WaitForCallAsync(callId, _ => true);
        Assert.That(stuck.Status, Is.EqualTo(CallStatus.Ringing), "without its hangup callback the call would stay ringing");

        var deadline = DateTime.UtcNow.AddSeconds(30);
        CallRecord call;
        do
        {
            await app.Service<ReconcileCallsJob>().RunAsync(CancellationToken.None);
            call = await app.WaitForCallAsync(callId, _ => true);
            await Task.Delay(500);
        }
        while (!call.Status.IsTerminal() && DateTime.UtcNow < deadline);

        Assert.Multiple(() =>
        {
            Assert.That(call.Status, Is.EqualTo(CallStatus.Completed));
            Assert.That(call.LastAttempt!.Outcome, Is.EqualTo(CallOutcome.Answered));
            Assert.That(call.LastAttempt.ResultSource, Is.EqualTo("call detail record"));
            Assert.That(call.LastAttempt.HangupCauseCode, Is.EqualTo(4000));
        });
    }

    [Test]
    public async Task CallStillLive_IsLeftAloneByTheReconciler()
    {
        await using var app = CallQueueApp.WithRedis(new Dictionary<string, string?> { ["RECONCILE_GRACE_SECONDS"] = "1" });
        app.Service<PlivoSandbox>().SetNumberScript("+14155550188", new SandboxNumberScript(SandboxOutcome.Answered, RingSeconds: 0, TalkSeconds: 60));
        var callId = await DialingEndToEndTests.QueueAsync(app, """
            { "phone_number": "+14155550188", "campaign_id": "e2e", "call_config": { "answer_url": "https://a.example/x", "ring_timeout": 5 } }
            """);
        await app.WaitForCallAsync(callId, c => c.LastAttempt?.RingingAt is not null);
        await Task.Delay(TimeSpan.FromSeconds(7));

        await app.Service<ReconcileCallsJob>().RunAsync(CancellationToken.None);

        var call = await app.WaitForCallAsync(callId, _ => true);
        Assert.Multiple(() =>
        {
            Assert.That(call.Status, Is.EqualTo(CallStatus.InProgress), "seen live at Plivo");
            Assert.That(call.LastAttempt!.Outcome, Is.Null);
        });
    }
}
