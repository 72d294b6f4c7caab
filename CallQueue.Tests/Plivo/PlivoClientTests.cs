using System.Net;
using System.Text.Json;
using CallQueue.Api.Sandbox;
using CallQueue.Jobs.Plivo;
using CallQueue.Tests.Sandbox;

namespace CallQueue.Tests.Plivo;

/// <summary>The real PlivoClient against the sandbox over loopback HTTP.</summary>
[TestFixture]
public sealed class PlivoClientTests
{
    private const string To = "14155550100";
    private SandboxTestHost _host = null!;

    [OneTimeSetUp]
    public async Task StartHostAsync() => _host = await SandboxTestHost.StartAsync();

    [OneTimeTearDown]
    public async Task StopHostAsync() => await _host.DisposeAsync();

    [SetUp]
    public void ResetSandbox() => _host.Reset();

    [Test]
    public async Task MakeCallAsync_ValidRequest_PostsSnakeCaseJsonWithBasicAuthAndReturnsRequestUuid()
    {
        var client = _host.CreateClient();
        var request = _host.NewCallRequest(To) with { RingTimeout = 30, TimeLimit = 600, MachineDetection = "hangup" };

        var response = await client.MakeCallAsync(request, CancellationToken.None);

        var received = _host.Sandbox.GetRequests().Single();
        using var body = JsonDocument.Parse(received.RawBody);
        var names = body.RootElement.EnumerateObject().Select(property => property.Name).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(response.RequestUuid, Is.Not.Empty.And.EqualTo(received.RequestUuid));
            Assert.That(response.Message, Is.EqualTo("call fired"));
            Assert.That(response.ApiId, Is.Not.Empty);
            Assert.That(received.AuthUser, Is.EqualTo(SandboxTestHost.AuthId));
            Assert.That(received.ResponseStatus, Is.EqualTo(201));
            Assert.That(names, Is.EquivalentTo(new[]
            {
                "from", "to", "answer_url", "answer_method", "ring_url", "ring_method", "hangup_url", "hangup_method",
                "time_limit", "ring_timeout", "machine_detection",
            }));
            Assert.That(received.Fields["from"], Is.EqualTo("14155550199"));
            Assert.That(received.Fields["to"], Is.EqualTo(To));
            Assert.That(received.Fields["answer_url"], Is.EqualTo("https://agent.example.com/answer"));
            Assert.That(received.Fields["answer_method"], Is.EqualTo("POST"));
            Assert.That(received.Fields["hangup_url"], Is.EqualTo(request.HangupUrl));
            Assert.That(received.Fields["machine_detection"], Is.EqualTo("hangup"));
            Assert.That(body.RootElement.GetProperty("ring_timeout").GetInt32(), Is.EqualTo(30));
            Assert.That(body.RootElement.GetProperty("time_limit").ValueKind, Is.EqualTo(JsonValueKind.Number));
        });
    }

    [Test]
    public void MakeCallAsync_WrongCredentials_ThrowsPermanent401()
    {
        var client = _host.CreateClient(options => options.AuthToken = "wrong-token");

        var exception = Assert.ThrowsAsync<PlivoApiException>(() => client.MakeCallAsync(_host.NewCallRequest(To), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(exception.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(exception.IsTransient, Is.False);
            Assert.That(exception.Error, Is.EqualTo("authentication failed"));
            Assert.That(exception.ApiId, Is.Not.Empty);
            Assert.That(_host.Sandbox.GetCalls(), Is.Empty);
        });
    }

    [Test]
    public void MakeCallAsync_Scripted503_ThrowsTransientAfterExactlyOneRequest()
    {
        _host.Sandbox.EnqueueFault(new SandboxFault { StatusCode = 503 });
        var client = _host.CreateClient();

        var exception = Assert.ThrowsAsync<PlivoApiException>(() => client.MakeCallAsync(_host.NewCallRequest(To), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(exception.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(exception.IsTransient, Is.True);
            Assert.That(_host.Sandbox.GetRequests(), Has.Count.EqualTo(1), "a 5xx must not be retried");
            Assert.That(_host.Sandbox.GetCalls(), Is.Empty);
        });
    }

    [Test]
    public async Task MakeCallAsync_Scripted429Twice_ThrowsTransientTwiceThenSucceeds()
    {
        _host.Sandbox.EnqueueFault(new SandboxFault { StatusCode = 429 }, count: 2);
        var client = _host.CreateClient();

        var first = Assert.ThrowsAsync<PlivoApiException>(() => client.MakeCallAsync(_host.NewCallRequest(To), CancellationToken.None));
        var second = Assert.ThrowsAsync<PlivoApiException>(() => client.MakeCallAsync(_host.NewCallRequest(To), CancellationToken.None));
        var third = await client.MakeCallAsync(_host.NewCallRequest(To), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(first.IsTransient, Is.True);
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(third.RequestUuid, Is.Not.Empty);
            Assert.That(_host.Sandbox.GetRequests().Select(entry => entry.ResponseStatus), Is.EqualTo(new int?[] { 429, 429, 201 }));
        });
    }

    [Test]
    public void MakeCallAsync_InvalidAnswerUrl_ThrowsPermanent400()
    {
        var client = _host.CreateClient();
        var request = _host.NewCallRequest(To) with { AnswerUrl = "not-a-url" };

        var exception = Assert.ThrowsAsync<PlivoApiException>(() => client.MakeCallAsync(request, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(exception.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(exception.IsTransient, Is.False);
            Assert.That(exception.Error, Does.Contain("answer_url"));
        });
    }

    [Test]
    public void MakeCallAsync_HtmlErrorBody_ThrowsApiExceptionWithBodyText()
    {
        var client = _host.CreateClient(options => options.ApiUrl = _host.BaseUrl + "/html");

        var exception = Assert.ThrowsAsync<PlivoApiException>(() => client.MakeCallAsync(_host.NewCallRequest(To), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(exception.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
            Assert.That(exception.IsTransient, Is.True);
            Assert.That(exception.Error, Does.Contain("502 Bad Gateway"));
            Assert.That(exception.ApiId, Is.Null);
        });
    }

    [Test]
    public void MakeCallAsync_SuccessWithoutRequestUuid_ThrowsNonTransientApiException()
    {
        _host.Sandbox.EnqueueFault(new SandboxFault { StatusCode = 201, Error = "no uuid here" });
        var client = _host.CreateClient();

        var exception = Assert.ThrowsAsync<PlivoApiException>(() => client.MakeCallAsync(_host.NewCallRequest(To), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(exception.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(exception.IsTransient, Is.False, "Plivo accepted it: the call may be placed, never resend");
            Assert.That(exception.Error, Does.Contain("request_uuid"));
        });
    }

    [Test]
    public void MakeCallAsync_ConnectionRefused_ThrowsConnectionExceptionNotSent()
    {
        var closedPort = SandboxTestHost.GetClosedPort();
        var client = _host.CreateClient(options => options.ApiUrl = $"http://127.0.0.1:{closedPort}");

        var exception = Assert.ThrowsAsync<PlivoConnectionException>(() => client.MakeCallAsync(_host.NewCallRequest(To), CancellationToken.None));

        Assert.That(exception.RequestMayHaveBeenSent, Is.False);
    }

    [Test]
    public async Task MakeCallAsync_AnswerSlowerThanTimeout_ThrowsConnectionExceptionMaybeSent()
    {
        _host.Sandbox.EnqueueFault(new SandboxFault { DelayMilliseconds = 4_000 });
        var client = _host.CreateClient(options => options.TimeoutSeconds = 2);

        var exception = Assert.ThrowsAsync<PlivoConnectionException>(() => client.MakeCallAsync(_host.NewCallRequest(To), CancellationToken.None));

        Assert.That(exception.RequestMayHaveBeenSent, Is.True);
        // The sandbox carries the request out anyway, as Plivo would: this is why it must not be resent blindly.
        var entry = await SandboxTestHost.WaitForAsync(() => _host.Sandbox.GetRequests().SingleOrDefault(), "the slow request");
        Assert.That(entry.ResponseStatus, Is.EqualTo(201));
    }

    [Test]
    public void MakeCallAsync_ConnectionDroppedBeforeAnswer_ThrowsConnectionExceptionMaybeSent()
    {
        _host.Sandbox.EnqueueFault(new SandboxFault { Abort = true });
        var client = _host.CreateClient();

        var exception = Assert.ThrowsAsync<PlivoConnectionException>(() => client.MakeCallAsync(_host.NewCallRequest(To), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(exception.RequestMayHaveBeenSent, Is.True);
            Assert.That(_host.Sandbox.GetRequests(), Has.Count.EqualTo(1));
        });
    }

    [Test]
    public void MakeCallAsync_CallerCancels_ThrowsOperationCanceledNotConnectionException()
    {
        _host.Sandbox.EnqueueFault(new SandboxFault { DelayMilliseconds = 1_500 });
        var client = _host.CreateClient();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var exception = Assert.CatchAsync<OperationCanceledException>(() => client.MakeCallAsync(_host.NewCallRequest(To), cancellation.Token));

        Assert.That(exception.CancellationToken, Is.EqualTo(cancellation.Token));
    }

    [Test]
    public async Task CheckCredentialsAsync_ValidCredentials_Succeeds()
    {
        var client = _host.CreateClient();

        await client.CheckCredentialsAsync(CancellationToken.None);

        Assert.Pass();
    }

    [Test]
    public void CheckCredentialsAsync_WrongAuthId_ThrowsUnauthorized()
    {
        var client = _host.CreateClient(options => options.AuthId = "MAWRONGACCOUNT000000");

        var exception = Assert.ThrowsAsync<PlivoApiException>(() => client.CheckCredentialsAsync(CancellationToken.None));

        Assert.That(exception.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [TestCase("")]
    [TestCase("  ")]
    [TestCase(".")]
    [TestCase("..")]
    [TestCase("abc/def")]
    [TestCase("abc?x=1")]
    public void HangupCallAsync_EmptyOrMalformedUuid_ThrowsArgumentException(string uuid)
    {
        var client = _host.CreateClient();

        Assert.Multiple(() =>
        {
            Assert.ThrowsAsync(Is.InstanceOf<ArgumentException>(), () => client.HangupCallAsync(uuid, CancellationToken.None));
            Assert.ThrowsAsync(Is.InstanceOf<ArgumentException>(), () => client.CancelRequestAsync(uuid, CancellationToken.None));
        });
    }

    [Test]
    public async Task GetCallDetailRecordAsync_UnknownCall_ReturnsNull()
    {
        var client = _host.CreateClient();

        var record = await client.GetCallDetailRecordAsync(Guid.NewGuid().ToString(), CancellationToken.None);

        Assert.That(record, Is.Null);
    }

    [Test]
    public async Task HangupCallAsync_UnknownCall_ReturnsFalse()
    {
        var client = _host.CreateClient();

        var hungUp = await client.HangupCallAsync(Guid.NewGuid().ToString(), CancellationToken.None);

        Assert.That(hungUp, Is.False);
    }

    [Test]
    public async Task ListCallDetailRecordsAsync_EndedCalls_ReturnsTheNumbersRecordsOnly()
    {
        const string Other = "14155550101";
        var client = _host.CreateClient();
        _host.Sandbox.SetNumberScript(To, new SandboxNumberScript(SandboxOutcome.Busy, RingSeconds: 0, TalkSeconds: 0));
        _host.Sandbox.SetNumberScript(Other, new SandboxNumberScript(SandboxOutcome.Busy, RingSeconds: 0, TalkSeconds: 0));
        var placed = await client.MakeCallAsync(_host.NewCallRequest(To), CancellationToken.None);
        await client.MakeCallAsync(_host.NewCallRequest(Other), CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_host.Sandbox.GetCalls().Count(call => call.EndAt is not null) < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var records = await client.ListCallDetailRecordsAsync(To, CancellationToken.None);
        var none = await client.ListCallDetailRecordsAsync("14155550102", CancellationToken.None);

        var record = records.Single();
        Assert.Multiple(() =>
        {
            Assert.That(record.ToNumber, Is.EqualTo(To));
            Assert.That(record.CallUuid, Is.EqualTo(_host.Sandbox.GetCalls().Single(call => call.RequestUuid == placed.RequestUuid).CallUuid));
            Assert.That(record.HangupCauseName, Is.Not.Empty);
            Assert.That(PlivoTimestamp.ParseOrNull(record.InitiationTime), Is.Not.Null, record.InitiationTime);
            Assert.That(none, Is.Empty);
        });
    }
}
