using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CallQueue.Api.Sandbox;
using CallQueue.Jobs.Plivo;

namespace CallQueue.Tests.Sandbox;

/// <summary>The sandbox's HTTP control endpoints and its configuration, as another process would use them.</summary>
[TestFixture]
public sealed class PlivoSandboxControlTests
{
    private SandboxTestHost _host = null!;
    private HttpClient _http = null!;
    private IPlivoClient _client = null!;

    [OneTimeSetUp]
    public async Task StartHostAsync()
    {
        _host = await SandboxTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["SANDBOX_TALK_SECONDS"] = "0",
            ["SANDBOX_RING_TIMEOUT_SECONDS"] = "1",
            ["SANDBOX_HISTORY_LIMIT"] = "500",
        });
        _http = _host.CreateHttpClient();
        _client = _host.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopHostAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    [SetUp]
    public void ResetSandbox() => _host.Reset();

    [Test]
    public void Options_FlatKeys_AreBound()
    {
        var options = _host.Sandbox.Options;

        Assert.Multiple(() =>
        {
            Assert.That(options.RingSeconds, Is.Zero);
            Assert.That(options.TalkSeconds, Is.Zero);
            Assert.That(options.RingTimeoutSeconds, Is.EqualTo(1));
            Assert.That(options.HistoryLimit, Is.EqualTo(500));
            Assert.That(options.Seed, Is.EqualTo(42));
            Assert.That(options.AnswerRatio, Is.EqualTo(0.8));
            Assert.That(options.FaultStatus, Is.EqualTo(503));
            Assert.That(_host.Sandbox.AuthId, Is.EqualTo(SandboxTestHost.AuthId));
        });
    }

    [Test]
    public async Task PutNumber_ScriptedOutcome_IsPlayedForThatNumber()
    {
        using var put = await _http.PutAsJsonAsync("/sandbox/control/numbers/+14155550120", new { outcome = "invalid_number" });
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        var accepted = await _client.MakeCallAsync(_host.NewCallRequest("14155550120"), CancellationToken.None);
        var hangup = await _host.WaitForCallbackAsync("hangup", accepted.RequestUuid);

        using var calls = await GetJsonAsync("/sandbox/control/calls");
        var call = calls.RootElement.EnumerateArray().Single();
        Assert.Multiple(() =>
        {
            Assert.That(hangup.Get("HangupCauseCode"), Is.EqualTo("3050"));
            Assert.That(call.GetProperty("outcome").GetString(), Is.EqualTo("invalid_number"));
            Assert.That(call.GetProperty("hangup_cause_code").GetInt32(), Is.EqualTo(3050));
            Assert.That(call.GetProperty("end_at").GetString(), Is.Not.Empty);
        });
    }

    [Test]
    public async Task DeleteNumber_UnknownNumber_Returns404()
    {
        using var response = await _http.DeleteAsync("/sandbox/control/numbers/999");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task PutNumber_UnknownOutcome_Returns400()
    {
        using var response = await _http.PutAsJsonAsync("/sandbox/control/numbers/1", new { outcome = "exploded" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task PostFaults_TwoServerErrors_NextTwoRequestsFailThenOneSucceeds()
    {
        using var post = await _http.PostAsJsonAsync("/sandbox/control/faults?count=2", new { status_code = 500, error = "boom" });
        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        var first = Assert.ThrowsAsync<PlivoApiException>(() => _client.MakeCallAsync(_host.NewCallRequest("14155550121"), CancellationToken.None));
        Assert.ThrowsAsync<PlivoApiException>(() => _client.MakeCallAsync(_host.NewCallRequest("14155550121"), CancellationToken.None));
        var accepted = await _client.MakeCallAsync(_host.NewCallRequest("14155550121"), CancellationToken.None);

        using var requests = await GetJsonAsync("/sandbox/control/requests");
        var entries = requests.RootElement.EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(first.Error, Is.EqualTo("boom"));
            Assert.That(first.IsTransient, Is.True);
            Assert.That(entries.Select(entry => entry.GetProperty("response_status").GetInt32()), Is.EqualTo(new[] { 500, 500, 201 }));
            Assert.That(entries[2].GetProperty("request_uuid").GetString(), Is.EqualTo(accepted.RequestUuid));
            Assert.That(entries[2].GetProperty("fields").GetProperty("to").GetString(), Is.EqualTo("14155550121"));
            Assert.That(entries[2].GetProperty("auth_user").GetString(), Is.EqualTo(SandboxTestHost.AuthId));
            Assert.That(entries[0].GetProperty("received_at").GetDateTimeOffset(), Is.LessThanOrEqualTo(entries[2].GetProperty("received_at").GetDateTimeOffset()));
        });
    }

    [Test]
    public async Task PostFaults_InvalidStatus_Returns400()
    {
        using var response = await _http.PostAsJsonAsync("/sandbox/control/faults", new { status_code = 42 });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task GetCallbacks_AfterCall_ListsRingAndHangupWithStatus()
    {
        _host.Sandbox.SetNumberScript("14155550122", new SandboxNumberScript(SandboxOutcome.Answered));
        var accepted = await _client.MakeCallAsync(_host.NewCallRequest("14155550122"), CancellationToken.None);
        await _host.WaitForCallbackAsync("hangup", accepted.RequestUuid);
        await SandboxTestHost.WaitForAsync(() => _host.Sandbox.GetCallbacks().Count == 2 ? "done" : null, "two callback log entries");

        using var callbacks = await GetJsonAsync("/sandbox/control/callbacks");
        var entries = callbacks.RootElement.EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(entries.Select(entry => entry.GetProperty("event").GetString()), Is.EqualTo(new[] { "Ring", "Hangup" }));
            Assert.That(entries.Select(entry => entry.GetProperty("status_code").GetInt32()), Is.All.EqualTo(200));
            Assert.That(entries[1].GetProperty("parameters").GetProperty("HangupCauseCode").GetString(), Is.EqualTo("4000"));
            Assert.That(entries[1].GetProperty("url").GetString(), Is.EqualTo(_host.ReceiverUrl("hangup")));
        });
    }

    [Test]
    public async Task PostReset_AfterActivity_ClearsLogsAndScripts()
    {
        _host.Sandbox.SetNumberScript("14155550123", new SandboxNumberScript(SandboxOutcome.Busy));
        _host.Sandbox.EnqueueFault(new SandboxFault { StatusCode = 503 });
        Assert.ThrowsAsync<PlivoApiException>(() => _client.MakeCallAsync(_host.NewCallRequest("14155550124"), CancellationToken.None));

        using var reset = await _http.PostAsync("/sandbox/control/reset", null);

        Assert.Multiple(() =>
        {
            Assert.That(reset.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(_host.Sandbox.GetRequests(), Is.Empty);
            Assert.That(_host.Sandbox.GetCalls(), Is.Empty);
            Assert.That(_host.Sandbox.ClearNumberScript("14155550123"), Is.False);
        });
    }

    [Test]
    public async Task MakeCall_MissingTo_Returns400WithPlivoErrorShape()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/sandbox/plivo/v1/Account/{SandboxTestHost.AuthId}/Call/")
        {
            Content = JsonContent.Create(new { from = "1415", answer_url = "https://a.example.com/" }),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{SandboxTestHost.AuthId}:{SandboxTestHost.AuthToken}")));

        using var response = await _http.SendAsync(request);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(body.RootElement.GetProperty("error").GetString(), Does.Contain("to"));
            Assert.That(body.RootElement.GetProperty("api_id").GetString(), Is.Not.Empty);
        });
    }

    [Test]
    public async Task MakeCall_RouteAuthIdDiffersFromBasicUser_Returns401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/sandbox/plivo/v1/Account/MAOTHERACCOUNT000000/Call/")
        {
            Content = JsonContent.Create(new { from = "1415", to = "1416", answer_url = "https://a.example.com/" }),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{SandboxTestHost.AuthId}:{SandboxTestHost.AuthToken}")));

        using var response = await _http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    private async Task<JsonDocument> GetJsonAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
