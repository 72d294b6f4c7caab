using CallQueue.Api.Sandbox;
using CallQueue.Jobs.Plivo;

namespace CallQueue.Tests.Sandbox;

/// <summary>Calls played by the sandbox: signed callbacks with Plivo's fields, CDRs and API hangups.</summary>
[TestFixture]
public sealed class PlivoSandboxCallbackTests
{
    private SandboxTestHost _host = null!;
    private IPlivoClient _client = null!;

    [OneTimeSetUp]
    public async Task StartHostAsync()
    {
        _host = await SandboxTestHost.StartAsync();
        _client = _host.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopHostAsync() => await _host.DisposeAsync();

    [SetUp]
    public void ResetSandbox() => _host.Reset();

    [Test]
    public async Task AnsweredCall_RingThenHangup_SignedWithV3AndCarriesPlivoFields()
    {
        _host.Sandbox.SetNumberScript("+14155550101", new SandboxNumberScript(SandboxOutcome.Answered, RingSeconds: 0, TalkSeconds: 1));
        var request = _host.NewCallRequest("+14155550101", "call_id=abc&attempt=1");

        var accepted = await _client.MakeCallAsync(request, CancellationToken.None);
        var hangup = await _host.WaitForCallbackAsync("hangup", accepted.RequestUuid);

        var ring = _host.Received.Single(callback => callback.Kind == "ring");
        var order = _host.Received.Select(callback => callback.Kind).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(order, Is.EqualTo(new[] { "ring", "hangup" }));
            AssertSigned(ring, request.RingUrl!);
            AssertSigned(hangup, request.HangupUrl!);
            Assert.That(ring.Get("Event"), Is.EqualTo("Ring"));
            Assert.That(ring.Get("CallStatus"), Is.EqualTo("ringing"));
            Assert.That(ring.Get("CallUUID"), Is.Not.Empty.And.EqualTo(hangup.Get("CallUUID")));
            Assert.That(ring.Get("ALegUUID"), Is.EqualTo(ring.Get("CallUUID")));
            Assert.That(ring.Get("ALegRequestUUID"), Is.EqualTo(accepted.RequestUuid));
            Assert.That(ring.Get("From"), Is.EqualTo("14155550199"));
            Assert.That(ring.Get("To"), Is.EqualTo("+14155550101"));
            Assert.That(ring.Get("Direction"), Is.EqualTo("outbound"));
            Assert.That(ring.Get("SessionStart"), Is.Not.Empty);
            Assert.That(hangup.Get("Event"), Is.EqualTo("Hangup"));
            Assert.That(hangup.Get("CallStatus"), Is.EqualTo("completed"));
            Assert.That(hangup.Get("HangupCause"), Is.EqualTo("NORMAL_CLEARING"));
            Assert.That(hangup.Get("HangupCauseCode"), Is.EqualTo("4000"));
            Assert.That(hangup.Get("HangupCauseName"), Is.EqualTo("Normal Hangup"));
            Assert.That(hangup.Get("HangupSource"), Is.EqualTo("Callee"));
            Assert.That(hangup.Get("Duration"), Is.EqualTo("1"));
            Assert.That(hangup.Get("BillDuration"), Is.EqualTo("1"));
            Assert.That(PlivoTimestamp.ParseOrNull(hangup.Get("AnswerTime")), Is.Not.Null);
            Assert.That(PlivoTimestamp.ParseOrNull(hangup.Get("StartTime")), Is.Not.Null);
            Assert.That(PlivoTimestamp.ParseOrNull(hangup.Get("EndTime")), Is.Not.Null);
        });
    }

    [Test]
    public async Task AnsweredCall_CallDetailRecord_MatchesHangupCallback()
    {
        _host.Sandbox.SetNumberScript("14155550102", new SandboxNumberScript(SandboxOutcome.Answered, TalkSeconds: 1));
        var accepted = await _client.MakeCallAsync(_host.NewCallRequest("14155550102"), CancellationToken.None);
        var hangup = await _host.WaitForCallbackAsync("hangup", accepted.RequestUuid);

        var record = await _client.GetCallDetailRecordAsync(hangup.Get("CallUUID")!, CancellationToken.None);

        Assert.That(record, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(record!.CallUuid, Is.EqualTo(hangup.Get("CallUUID")));
            Assert.That(record.IsAnswered, Is.True);
            Assert.That(record.BillDuration, Is.EqualTo(1));
            Assert.That(record.CallDuration, Is.EqualTo(1));
            Assert.That(record.HangupCauseCode, Is.EqualTo(4000));
            Assert.That(record.HangupCauseName, Is.EqualTo("Normal Hangup"));
            Assert.That(record.HangupSource, Is.EqualTo("Callee"));
            Assert.That(record.CallState, Is.EqualTo("completed"));
            Assert.That(record.ToNumber, Is.EqualTo("14155550102"));
            Assert.That(PlivoTimestamp.ParseOrNull(record.AnswerTime), Is.EqualTo(PlivoTimestamp.ParseOrNull(hangup.Get("AnswerTime"))));
            Assert.That(PlivoTimestamp.ParseOrNull(record.EndTime), Is.EqualTo(PlivoTimestamp.ParseOrNull(hangup.Get("EndTime"))));
        });
    }

    [TestCase(SandboxOutcome.Busy, "busy", "USER_BUSY", 3010, "Busy Line", true)]
    [TestCase(SandboxOutcome.NoAnswer, "no-answer", "NO_ANSWER", 6010, "Ring Timeout Reached", true)]
    [TestCase(SandboxOutcome.Rejected, "busy", "CALL_REJECTED", 3020, "Rejected", true)]
    [TestCase(SandboxOutcome.InvalidNumber, "failed", "UNALLOCATED_NUMBER", 3050, "Unallocated Number", false)]
    [TestCase(SandboxOutcome.NetworkError, "failed", "NETWORK_OUT_OF_ORDER", 5000, "Network Error", false)]
    public async Task UnansweredCall_Hangup_CarriesCauseAndNoAnswerTime(
        SandboxOutcome outcome, string callStatus, string cause, int code, string name, bool rings)
    {
        _host.Sandbox.SetNumberScript("14155550103", new SandboxNumberScript(outcome));
        var request = _host.NewCallRequest("14155550103") with { RingTimeout = 1 };

        var accepted = await _client.MakeCallAsync(request, CancellationToken.None);
        var hangup = await _host.WaitForCallbackAsync("hangup", accepted.RequestUuid);
        var record = await _client.GetCallDetailRecordAsync(hangup.Get("CallUUID")!, CancellationToken.None);

        Assert.Multiple(() =>
        {
            AssertSigned(hangup, request.HangupUrl!);
            Assert.That(hangup.Get("CallStatus"), Is.EqualTo(callStatus));
            Assert.That(hangup.Get("HangupCause"), Is.EqualTo(cause));
            Assert.That(hangup.Get("HangupCauseCode"), Is.EqualTo(code.ToString()));
            Assert.That(hangup.Get("HangupCauseName"), Is.EqualTo(name));
            Assert.That(hangup.Get("BillDuration"), Is.EqualTo("0"));
            Assert.That(hangup.Get("AnswerTime"), Is.Empty);
            Assert.That(_host.Received.Any(callback => callback.Kind == "ring"), Is.EqualTo(rings));
            Assert.That(record!.HangupCauseCode, Is.EqualTo(code));
            Assert.That(record.IsAnswered, Is.False);
            Assert.That(record.AnswerTime, Is.Null);
        });
    }

    [Test]
    public async Task MachineCall_DetectionHangup_NotifiesMachineThenHangsUp9100()
    {
        _host.Sandbox.SetNumberScript("14155550104", new SandboxNumberScript(SandboxOutcome.Machine, TalkSeconds: 1));
        var request = _host.NewCallRequest("14155550104") with
        {
            MachineDetection = "hangup",
            MachineDetectionUrl = _host.ReceiverUrl("machine"),
        };

        var accepted = await _client.MakeCallAsync(request, CancellationToken.None);
        var hangup = await _host.WaitForCallbackAsync("hangup", accepted.RequestUuid);

        var machine = _host.Received.Single(callback => callback.Kind == "machine");
        Assert.Multiple(() =>
        {
            AssertSigned(machine, request.MachineDetectionUrl!);
            Assert.That(machine.Get("Event"), Is.EqualTo("MachineDetection"));
            Assert.That(machine.Get("Machine"), Is.EqualTo("true"));
            Assert.That(machine.Get("IfMachine"), Is.EqualTo("hangup"));
            Assert.That(hangup.Get("HangupCauseCode"), Is.EqualTo("9100"));
            Assert.That(hangup.Get("HangupCauseName"), Is.EqualTo("Machine Detected"));
            Assert.That(hangup.Get("AnswerTime"), Is.Not.Empty);
        });
    }

    [Test]
    public async Task AnsweredCall_TimeLimitShorterThanTalk_EndsWithScheduledHangup6000()
    {
        _host.Sandbox.SetNumberScript("14155550105", new SandboxNumberScript(SandboxOutcome.Answered, TalkSeconds: 60));
        var request = _host.NewCallRequest("14155550105") with { TimeLimit = 1 };

        var accepted = await _client.MakeCallAsync(request, CancellationToken.None);
        var hangup = await _host.WaitForCallbackAsync("hangup", accepted.RequestUuid);

        Assert.Multiple(() =>
        {
            Assert.That(hangup.Get("HangupCauseCode"), Is.EqualTo("6000"));
            Assert.That(hangup.Get("Duration"), Is.EqualTo("1"));
        });
    }

    [Test]
    public async Task HangupCallAsync_AnsweredCall_EndsLiveCallFromApiRequest()
    {
        _host.Sandbox.SetNumberScript("14155550106", new SandboxNumberScript(SandboxOutcome.Answered, TalkSeconds: 300));
        var accepted = await _client.MakeCallAsync(_host.NewCallRequest("14155550106"), CancellationToken.None);
        var ring = await _host.WaitForCallbackAsync("ring", accepted.RequestUuid);
        var callUuid = ring.Get("CallUUID")!;
        await SandboxTestHost.WaitForAsync(
            () => _host.Sandbox.FindCall(callUuid) is { CallStatus: "in-progress" } call ? call : null, "the answer");

        var live = await _client.GetLiveCallAsync(callUuid, CancellationToken.None);
        var liveUuids = await _client.ListLiveCallUuidsAsync("+14155550106", CancellationToken.None);
        var otherNumber = await _client.ListLiveCallUuidsAsync("14155550999", CancellationToken.None);
        var hungUp = await _client.HangupCallAsync(callUuid, CancellationToken.None);
        var hangup = await _host.WaitForCallbackAsync("hangup", accepted.RequestUuid);
        var again = await _client.HangupCallAsync(callUuid, CancellationToken.None);
        var liveAfter = await _client.GetLiveCallAsync(callUuid, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(live, Is.Not.Null);
            Assert.That(live!.CallStatus, Is.EqualTo("in-progress"));
            Assert.That(live.RequestUuid, Is.EqualTo(accepted.RequestUuid));
            Assert.That(liveUuids, Is.EqualTo(new[] { callUuid }));
            Assert.That(otherNumber, Is.Empty);
            Assert.That(hungUp, Is.True);
            Assert.That(hangup.Get("HangupSource"), Is.EqualTo("API Request"));
            Assert.That(hangup.Get("HangupCauseCode"), Is.EqualTo("4000"));
            Assert.That(hangup.Get("CallStatus"), Is.EqualTo("completed"));
            Assert.That(again, Is.False);
            Assert.That(liveAfter, Is.Null);
            Assert.That(_host.Received.Count(callback => callback.Kind == "hangup"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task CancelRequestAsync_RingingCall_EndsWithCanceled1000()
    {
        _host.Sandbox.SetNumberScript("14155550107", new SandboxNumberScript(SandboxOutcome.NoAnswer));
        var accepted = await _client.MakeCallAsync(_host.NewCallRequest("14155550107") with { RingTimeout = 300 }, CancellationToken.None);
        await _host.WaitForCallbackAsync("ring", accepted.RequestUuid);

        var cancelled = await _client.CancelRequestAsync(accepted.RequestUuid, CancellationToken.None);
        var hangup = await _host.WaitForCallbackAsync("hangup", accepted.RequestUuid);

        Assert.Multiple(() =>
        {
            Assert.That(cancelled, Is.True);
            Assert.That(hangup.Get("HangupCauseCode"), Is.EqualTo("1000"));
            Assert.That(hangup.Get("HangupCauseName"), Is.EqualTo("Canceled"));
            Assert.That(hangup.Get("HangupSource"), Is.EqualTo("API Request"));
            Assert.That(hangup.Get("AnswerTime"), Is.Empty);
        });
    }

    [Test]
    public async Task ListQueuedCallUuidsAsync_CallNotYetRinging_ListedThenCancelledByHangup()
    {
        _host.Sandbox.SetNumberScript("14155550108", new SandboxNumberScript(SandboxOutcome.Answered, RingSeconds: 300));
        var accepted = await _client.MakeCallAsync(_host.NewCallRequest("14155550108"), CancellationToken.None);

        var queued = await _client.ListQueuedCallUuidsAsync(CancellationToken.None);
        var queuedCall = await _client.GetQueuedCallAsync(queued.Single(), CancellationToken.None);
        var live = await _client.ListLiveCallUuidsAsync(null, CancellationToken.None);
        var hungUp = await _client.HangupCallAsync(queued.Single(), CancellationToken.None);
        var hangup = await _host.WaitForCallbackAsync("hangup", accepted.RequestUuid);

        Assert.Multiple(() =>
        {
            Assert.That(queuedCall!.RequestUuid, Is.EqualTo(accepted.RequestUuid));
            Assert.That(queuedCall.CallStatus, Is.EqualTo("queued"));
            Assert.That(live, Is.Empty);
            Assert.That(hungUp, Is.True);
            Assert.That(hangup.Get("HangupCauseCode"), Is.EqualTo("1000"));
            Assert.That(_host.Received.Any(callback => callback.Kind == "ring"), Is.False);
        });
    }

    [Test]
    public async Task GetCallbacks_GetMethod_SignsFullUrlWithFieldsInQuery()
    {
        _host.Sandbox.SetNumberScript("14155550109", new SandboxNumberScript(SandboxOutcome.Busy));
        var request = _host.NewCallRequest("14155550109", "call_id=a%20b") with { HangupMethod = "GET" };

        var accepted = await _client.MakeCallAsync(request, CancellationToken.None);
        var hangup = await _host.WaitForCallbackAsync("hangup", accepted.RequestUuid);

        Assert.Multiple(() =>
        {
            Assert.That(hangup.Method, Is.EqualTo("GET"));
            Assert.That(hangup.Get("call_id"), Is.EqualTo("a b"));
            Assert.That(hangup.Get("HangupCauseCode"), Is.EqualTo("3010"));
            Assert.That(PlivoSignatureV3.IsValid("GET", hangup.ReceivedUrl, [], hangup.Nonce!, hangup.SignatureV3, SandboxTestHost.AuthToken), Is.True);
        });
    }

    [Test]
    public async Task FailingReceiver_CallbackFails_CallStillEndsAndIsLogged()
    {
        _host.Sandbox.SetNumberScript("14155550110", new SandboxNumberScript(SandboxOutcome.Busy));
        var request = _host.NewCallRequest("14155550110") with { RingUrl = _host.ReceiverUrl("fail"), HangupUrl = $"http://127.0.0.1:{SandboxTestHost.GetClosedPort()}/unreachable" };

        var accepted = await _client.MakeCallAsync(request, CancellationToken.None);
        var hangupLog = await SandboxTestHost.WaitForAsync(
            () => _host.Sandbox.GetCallbacks().FirstOrDefault(entry => entry.Event == "Hangup" && entry.RequestUuid == accepted.RequestUuid),
            "the hangup attempt");

        var ringLog = _host.Sandbox.GetCallbacks().Single(entry => entry.Event == "Ring");
        Assert.Multiple(() =>
        {
            Assert.That(ringLog.StatusCode, Is.EqualTo(500));
            Assert.That(hangupLog.StatusCode, Is.Null);
            Assert.That(hangupLog.Error, Is.Not.Empty);
            Assert.That(hangupLog.Url, Is.EqualTo(request.HangupUrl));
            Assert.That(_host.Sandbox.FindCall(accepted.RequestUuid)!.HangupCauseCode, Is.EqualTo(3010));
        });
    }

    private static void AssertSigned(ReceivedCallback callback, string url)
    {
        Assert.That(callback.Nonce, Is.Not.Empty, $"{callback.Kind} nonce");
        Assert.That(
            PlivoSignatureV3.IsValid("POST", url, callback.Parameters, callback.Nonce!, callback.SignatureV3, SandboxTestHost.AuthToken),
            Is.True,
            $"{callback.Kind} X-Plivo-Signature-V3");
        Assert.That(
            PlivoSignatureV3.IsValid("POST", url, callback.Parameters, callback.Nonce!, callback.SignatureMaV3, SandboxTestHost.AuthToken),
            Is.True,
            $"{callback.Kind} X-Plivo-Signature-Ma-V3");
        Assert.That(
            PlivoSignatureV3.IsValid("POST", url, callback.Parameters, callback.Nonce!, callback.SignatureV3, "another-token"),
            Is.False,
            $"{callback.Kind} signature with a wrong token");
    }
}
