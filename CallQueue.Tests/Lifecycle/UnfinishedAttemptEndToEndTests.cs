using CallQueue.Api.Sandbox;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Dialing;
using CallQueue.Jobs.Lifecycle;
using CallQueue.Jobs.Plivo;
using CallQueue.Jobs.Storage;
using CallQueue.Tests.Support;

namespace CallQueue.Tests.Lifecycle;

/// <summary>
/// A dial job re-run on an attempt that was claimed but whose Plivo answer was never recorded (the dialer died in
/// between): it never sends again; it settles the attempt from what Plivo knows, or marks the call unknown.
/// </summary>
[TestFixture]
public sealed class UnfinishedAttemptEndToEndTests
{
    [Test]
    public async Task Rerun_PlivoHasTheEndedCall_AdoptsItsRecordAndTheReconcilerSettlesItWithoutDialingAgain()
    {
        const string Number = "+14155550193";
        await using var app = CallQueueApp.WithRedis(new Dictionary<string, string?> { ["RECONCILE_GRACE_SECONDS"] = "1" });
        var sandbox = app.Service<PlivoSandbox>();
        sandbox.SetNumberScript(Number, new SandboxNumberScript(SandboxOutcome.Answered, RingSeconds: 0, TalkSeconds: 1));
        var callId = await StoreClaimedAttemptAsync(app, Number);

        // What the dead dialer's request did at Plivo: the callee answered, and the call is over.
        await app.Service<IPlivoClient>().MakeCallAsync(
            new MakeCallRequest { From = "+14155550100", To = Number, AnswerUrl = "https://a.example/x" }, CancellationToken.None);
        var ended = await WaitForEndedSandboxCallAsync(sandbox, Number);

        await app.Service<DialCallJob>().ExecuteAsync(callId, context: null, CancellationToken.None);
        var adopted = await app.WaitForCallAsync(callId, _ => true);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        CallRecord call;
        do
        {
            await app.Service<ReconcileCallsJob>().RunAsync(CancellationToken.None);
            call = await app.WaitForCallAsync(callId, _ => true);
            await Task.Delay(300);
        }
        while (!call.Status.IsTerminal() && DateTime.UtcNow < deadline);

        Assert.Multiple(() =>
        {
            Assert.That(adopted.LastAttempt!.CallUuid, Is.EqualTo(ended.CallUuid), "the re-run adopted Plivo's call");
            Assert.That(adopted.StatusReason, Does.Contain("found ended at Plivo"));
            Assert.That(call.Status, Is.EqualTo(CallStatus.Completed), call.StatusReason);
            Assert.That(call.Attempts, Has.Count.EqualTo(1));
            Assert.That(call.LastAttempt!.Outcome, Is.EqualTo(CallOutcome.Answered));
            Assert.That(call.LastAttempt.ResultSource, Is.EqualTo("call detail record"));
            Assert.That(sandbox.GetRequests().Count(r => r.Fields["to"] == Number), Is.EqualTo(1), "the callee was rung once, by the dead dialer");
        });
    }

    [Test]
    public async Task Rerun_PlivoKnowsNothing_MarksTheCallUnknownAndSendsNothing()
    {
        const string Number = "+14155550194";
        await using var app = CallQueueApp.WithRedis();
        var callId = await StoreClaimedAttemptAsync(app, Number);

        var rerun = () => app.Service<DialCallJob>().ExecuteAsync(callId, context: null, CancellationToken.None);

        Assert.That(rerun, Throws.TypeOf<DialFailedException>());
        var call = await app.WaitForCallAsync(callId, _ => true);
        Assert.Multiple(() =>
        {
            Assert.That(call.Status, Is.EqualTo(CallStatus.Unknown));
            Assert.That(call.LastAttempt!.Outcome, Is.EqualTo(CallOutcome.Unknown));
            Assert.That(call.StatusReason, Does.Contain("Check Plivo's call log"));
            Assert.That(app.Service<PlivoSandbox>().GetRequests().Where(r => r.Fields["to"] == Number), Is.Empty, "nothing is sent blindly");
        });
    }

    [Test]
    public async Task Rerun_ClaimNeverSent_GivesItBackAndDialsOnce()
    {
        // The dialer died after claiming attempt 1 under its token and before recording that the request leaves: nothing
        // can have reached Plivo, so the re-run dials instead of leaving the call unknown for a person.
        const string Number = "+14155550195";
        await using var app = CallQueueApp.WithRedis();
        var callId = await StoreClaimedAttemptAsync(app, Number, new CallAttempt { Number = 1, StartedAt = DateTimeOffset.UtcNow.AddSeconds(-2), ClaimToken = "dead-run" });

        await app.Service<DialCallJob>().ExecuteAsync(callId, context: null, CancellationToken.None);
        var call = await app.WaitForCallAsync(callId, c => c.Status.IsTerminal());

        Assert.Multiple(() =>
        {
            Assert.That(call.Status, Is.EqualTo(CallStatus.Completed), call.StatusReason);
            Assert.That(call.Attempts, Has.Count.EqualTo(1), "the dead run's claim was given back, not counted");
            Assert.That(call.LastAttempt!.ClaimToken, Is.Not.EqualTo("dead-run"), "dialed under the re-run's own claim");
            Assert.That(call.LastAttempt.SentAt, Is.Not.Null);
            Assert.That(app.Service<PlivoSandbox>().GetRequests().Count(r => r.Fields["to"] == Number), Is.EqualTo(1), "rung once");
        });
    }

    [Test]
    public async Task Rerun_ClaimMarkedAsSending_IsNotSentAgain()
    {
        // Recorded as leaving: the request may have reached Plivo, so the re-run asks Plivo and never sends blindly.
        const string Number = "+14155550196";
        await using var app = CallQueueApp.WithRedis();
        var now = DateTimeOffset.UtcNow;
        var callId = await StoreClaimedAttemptAsync(app, Number, new CallAttempt { Number = 1, StartedAt = now.AddSeconds(-2), ClaimToken = "dead-run", SentAt = now.AddSeconds(-2) });

        var rerun = () => app.Service<DialCallJob>().ExecuteAsync(callId, context: null, CancellationToken.None);

        Assert.That(rerun, Throws.TypeOf<DialFailedException>());
        var call = await app.WaitForCallAsync(callId, _ => true);
        Assert.Multiple(() =>
        {
            Assert.That(call.Status, Is.EqualTo(CallStatus.Unknown));
            Assert.That(app.Service<PlivoSandbox>().GetRequests().Where(r => r.Fields["to"] == Number), Is.Empty, "nothing is sent blindly");
        });
    }

    /// <summary>A call in the state a dialer killed after claiming attempt 1 leaves behind: dialing, no request_uuid.</summary>
    private static async Task<string> StoreClaimedAttemptAsync(CallQueueApp app, string number, CallAttempt? claimed = null)
    {
        var store = app.Service<ICallStore>();
        var now = DateTimeOffset.UtcNow;
        var call = new CallRecord
        {
            CallId = "call_" + Guid.NewGuid().ToString("N"),
            PhoneNumber = number,
            CampaignId = "rerun",
            Config = new CallConfig { AnswerUrl = "https://a.example/x", RingTimeout = 1 },
            CreatedAt = now,
            UpdatedAt = now,
        };
        await store.CreateAsync([call], CancellationToken.None);
        await store.UpdateAsync(
            call.CallId,
            current => current with
            {
                Status = CallStatus.Dialing,
                Attempts = [claimed ?? new CallAttempt { Number = 1, StartedAt = now.AddSeconds(-2) }],
            },
            CancellationToken.None);
        return call.CallId;
    }

    private static async Task<SandboxCallSnapshot> WaitForEndedSandboxCallAsync(PlivoSandbox sandbox, string number)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (sandbox.GetCalls().FirstOrDefault(c => c.To.TrimStart('+') == number.TrimStart('+') && c.EndAt is not null) is { } ended)
            {
                return ended;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"The sandbox's call to {number} did not end.");
        return null!;
    }
}
