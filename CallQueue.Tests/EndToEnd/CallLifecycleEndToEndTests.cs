using System.Net;
using CallQueue.Api.Sandbox;
using CallQueue.Jobs.Calls;
using CallQueue.Tests.Api;
using CallQueue.Tests.Operators;
using CallQueue.Tests.Support;
using Hangfire;

namespace CallQueue.Tests.EndToEnd;

/// <summary>A call followed from queued to its final status through the sandbox's signed callbacks.</summary>
[TestFixture]
public sealed class CallLifecycleEndToEndTests
{
    [Test]
    public async Task AnsweredCall_RingsThenCompletesWithTheAttemptExplained()
    {
        await using var app = CallQueueApp.WithRedis();
        var callId = await DialingEndToEndTests.QueueAsync(app, QueueCallApiTests.ValidCall("+14155550181"));

        var call = await app.WaitForCallAsync(callId, c => c.Status.IsTerminal());

        var attempt = call.Attempts.Single();
        Assert.Multiple(() =>
        {
            Assert.That(call.Status, Is.EqualTo(CallStatus.Completed));
            Assert.That(call.StatusReason, Does.StartWith("Answered"));
            Assert.That(attempt.Outcome, Is.EqualTo(CallOutcome.Answered));
            Assert.That(attempt.HangupCauseCode, Is.EqualTo(4000));
            Assert.That(attempt.RingingAt, Is.Not.Null, "the ring callback was recorded");
            Assert.That(attempt.AnsweredAt, Is.Not.Null);
            Assert.That(attempt.CallUuid, Is.Not.Null);
            Assert.That(attempt.RequestUuid, Is.Not.Null);
            Assert.That(attempt.ResultSource, Is.EqualTo("hangup callback"));
        });
    }

    [Test]
    public async Task BusyCallee_IsRetriedUntilAttemptsRunOutThenTheJobFailsWithAReadableReason()
    {
        await using var app = CallQueueApp.WithRedis();
        app.Service<PlivoSandbox>().SetNumberScript("+14155550182", new SandboxNumberScript(SandboxOutcome.Busy));
        var callId = await DialingEndToEndTests.QueueAsync(app, QueueCallApiTests.ValidCall("+14155550182", extra: "\"max_retries\": 2"));

        var call = await app.WaitForCallAsync(callId, c => c.Status.IsTerminal(), TimeSpan.FromSeconds(60));

        // The job moves right after the call is written (an effect of the settled attempt): wait for it, not for a time.
        await OperatorTestCalls.WaitForJobStateAsync(app, call.JobId!, "Failed");
        var job = app.Service<JobStorage>().GetConnection().GetStateData(call.JobId);
        var history = app.Service<JobStorage>().GetMonitoringApi().JobDetails(call.JobId).History;
        Assert.Multiple(() =>
        {
            Assert.That(call.Status, Is.EqualTo(CallStatus.Failed));
            Assert.That(call.Attempts.Select(a => a.Outcome), Is.EqualTo(new CallOutcome?[] { CallOutcome.Busy, CallOutcome.Busy, CallOutcome.Busy }));
            Assert.That(call.Attempts.Select(a => a.HangupCauseCode), Is.All.EqualTo(3010));
            Assert.That(job.Name, Is.EqualTo("Failed"));
            Assert.That(job.Reason, Does.StartWith("Busy after 3 attempts"));
            Assert.That(history.Where(h => h.StateName == "Scheduled").Select(h => h.Reason), Has.Some.Contains("→ retry in").And.Some.Contains("attempt 2 of 3"));
            Assert.That(app.Service<PlivoSandbox>().GetRequests().Count(r => r.Fields["to"] == "+14155550182"), Is.EqualTo(3));
        });
    }

    [Test]
    public async Task InvalidNumber_IsNotRetried()
    {
        await using var app = CallQueueApp.WithRedis();
        app.Service<PlivoSandbox>().SetNumberScript("+14155550183", new SandboxNumberScript(SandboxOutcome.InvalidNumber));
        var callId = await DialingEndToEndTests.QueueAsync(app, QueueCallApiTests.ValidCall("+14155550183"));

        var call = await app.WaitForCallAsync(callId, c => c.Status.IsTerminal());

        // Failed is the job's last state: nothing dials it again unless a person requeues it.
        await OperatorTestCalls.WaitForJobStateAsync(app, call.JobId!, "Failed");

        Assert.Multiple(() =>
        {
            Assert.That(call.Status, Is.EqualTo(CallStatus.Failed));
            Assert.That(call.Attempts, Has.Count.EqualTo(1));
            Assert.That(call.Attempts[0].Outcome, Is.EqualTo(CallOutcome.InvalidNumber));
            Assert.That(call.StatusReason, Does.Contain("not retried"));
            Assert.That(app.Service<PlivoSandbox>().GetRequests().Count(r => r.Fields["to"] == "+14155550183"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task NoAnswerThenAnswered_RetriesOnceAndCompletes()
    {
        await using var app = CallQueueApp.WithRedis();
        var sandbox = app.Service<PlivoSandbox>();
        sandbox.SetNumberScript("+14155550184", new SandboxNumberScript(SandboxOutcome.NoAnswer, RingSeconds: 0));
        var callId = await DialingEndToEndTests.QueueAsync(app, """
            { "phone_number": "+14155550184", "campaign_id": "e2e", "call_config": { "answer_url": "https://a.example/x", "ring_timeout": 5 } }
            """);
        await app.WaitForCallAsync(callId, c => c.Attempts.Count == 1 && c.Attempts[0].Outcome is not null, TimeSpan.FromSeconds(30));
        sandbox.SetNumberScript("+14155550184", new SandboxNumberScript(SandboxOutcome.Answered));

        var call = await app.WaitForCallAsync(callId, c => c.Status.IsTerminal(), TimeSpan.FromSeconds(30));

        Assert.Multiple(() =>
        {
            Assert.That(call.Status, Is.EqualTo(CallStatus.Completed));
            Assert.That(call.Attempts.Select(a => a.Outcome), Is.EqualTo(new CallOutcome?[] { CallOutcome.NoAnswer, CallOutcome.Answered }));
        });
    }

    [Test]
    public async Task ForgedHangupCallback_IsRefusedAndChangesNothing()
    {
        await using var app = CallQueueApp.WithRedis(new Dictionary<string, string?> { ["QUEUE_WORKERS"] = "0" });
        var callId = await DialingEndToEndTests.QueueAsync(app, QueueCallApiTests.ValidCall("+14155550185"));
        using var client = app.Client();
        var form = new Dictionary<string, string> { ["CallStatus"] = "completed", ["HangupCauseCode"] = "4000", ["AnswerTime"] = "2026-11-24 10:00:00", ["BillDuration"] = "30" };

        using var unsigned = await client.PostAsync(new Uri($"/api/plivo/hangup?call_id={callId}&attempt=1", UriKind.Relative), new FormUrlEncodedContent(form));
        using var forged = new HttpRequestMessage(HttpMethod.Post, $"/api/plivo/hangup?call_id={callId}&attempt=1") { Content = new FormUrlEncodedContent(form) };
        forged.Headers.Add("X-Plivo-Signature-V3", "k7Pusd4OxCIjR5IfA9iedDNu/h/gbdYqdzG/MiYtd1c=");
        forged.Headers.Add("X-Plivo-Signature-V3-Nonce", "31627761595286130198");
        using var forgedResponse = await client.SendAsync(forged);

        var call = await app.Service<Jobs.Storage.ICallStore>().GetAsync(callId, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(unsigned.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(forgedResponse.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(call!.Status, Is.EqualTo(CallStatus.Queued));
            Assert.That(call.Attempts, Is.Empty);
        });
    }

    [Test]
    public async Task SignedCallbackNamingAnotherPlivoCall_IsIgnoredAndTheRightOneSettles()
    {
        // A validly signed hangup for this call's attempt URL, but naming a RequestUUID that is not the attempt's (a
        // misrouted or replayed callback): answered 200 so Plivo stops, recorded in the log, and it changes nothing.
        await using var app = CallQueueApp.WithRedis();
        var sandbox = app.Service<PlivoSandbox>();
        const string Number = "+14155550187";
        sandbox.SetNumberScript(Number, new SandboxNumberScript(SandboxOutcome.NoAnswer, RingSeconds: 120, TalkSeconds: 0));
        var callId = await DialingEndToEndTests.QueueAsync(app, QueueCallApiTests.ValidCall(Number));
        var placed = await app.WaitForCallAsync(callId, c => c.LastAttempt?.RequestUuid is not null);
        var requestUuid = placed.LastAttempt!.RequestUuid!;

        using var foreign = await PostSignedHangupAsync(app, callId, requestUuid: "5a1c0ffe-0000-4000-8000-000000000000");
        var afterForeign = await app.WaitForCallAsync(callId, _ => true);
        using var own = await PostSignedHangupAsync(app, callId, requestUuid);
        var settled = await app.WaitForCallAsync(callId, c => c.LastAttempt?.Outcome is not null);

        Assert.Multiple(() =>
        {
            Assert.That(foreign.StatusCode, Is.EqualTo(HttpStatusCode.OK), "Plivo is not asked to send it again");
            Assert.That(afterForeign.LastAttempt!.Outcome, Is.Null, "another call's hangup does not settle this attempt");
            Assert.That(afterForeign.Status.IsTerminal(), Is.False);
            Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(settled.LastAttempt!.Outcome, Is.EqualTo(CallOutcome.Answered), "the attempt's own hangup settles it");
        });
    }

    private static async Task<HttpResponseMessage> PostSignedHangupAsync(CallQueueApp app, string callId, string requestUuid)
    {
        var plivo = app.Service<Microsoft.Extensions.Options.IOptions<Jobs.Configuration.PlivoOptions>>().Value;
        var path = $"/api/plivo/hangup?call_id={callId}&attempt=1";
        var form = new Dictionary<string, string>
        {
            ["CallUUID"] = requestUuid, ["RequestUUID"] = requestUuid, ["CallStatus"] = "completed", ["HangupCauseCode"] = "4000",
            ["HangupCauseName"] = "Normal Hangup", ["AnswerTime"] = "2026-11-24 10:00:00", ["EndTime"] = "2026-11-24 10:00:30", ["BillDuration"] = "30",
        };
        const string Nonce = "12345678901234567890";
        var signature = Jobs.Plivo.PlivoSignatureV3.Compute("POST", plivo.PublicBaseUrl!.TrimEnd('/') + path, form, Nonce, plivo.AuthToken!);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Plivo-Signature-V3", signature);
        request.Headers.Add("X-Plivo-Signature-V3-Nonce", Nonce);
        using var client = app.Client();
        return await client.SendAsync(request);
    }

    [Test]
    public async Task DuplicateHangupCallbacks_SettleTheAttemptOnce()
    {
        await using var app = CallQueueApp.WithRedis();
        var sandbox = app.Service<PlivoSandbox>();
        var callId = await DialingEndToEndTests.QueueAsync(app, QueueCallApiTests.ValidCall("+14155550186"));
        var call = await app.WaitForCallAsync(callId, c => c.Status.IsTerminal());

        // Replay every callback the sandbox sent for this call, signatures and all, as Plivo's retries would.
        using var client = app.Client();
        foreach (var callback in sandbox.GetCallbacks().Where(c => c.Url.Contains(callId, StringComparison.Ordinal)))
        {
            using var replay = new HttpRequestMessage(HttpMethod.Post, callback.Url) { Content = new FormUrlEncodedContent(callback.Parameters) };
            foreach (var (name, value) in callback.Headers)
            {
                replay.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await client.SendAsync(replay);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var after = await app.WaitForCallAsync(callId, c => true);
        Assert.Multiple(() =>
        {
            Assert.That(after.Status, Is.EqualTo(call.Status));
            Assert.That(after.Attempts, Has.Count.EqualTo(1));
            Assert.That(after.Attempts[0].EndedAt, Is.EqualTo(call.Attempts[0].EndedAt));
        });
    }
}
