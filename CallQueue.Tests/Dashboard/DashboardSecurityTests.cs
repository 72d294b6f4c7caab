using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CallQueue.Jobs.Calls;
using CallQueue.Tests.Operators;
using CallQueue.Tests.Support;

namespace CallQueue.Tests.Dashboard;

/// <summary>
/// /hangfire over HTTP on the real server (redis-server, workers, sandbox) with an operator and a read-only account:
/// who gets in, what the read-only account cannot do (Hangfire itself refuses its commands), what the home page shows.
/// </summary>
[TestFixture]
public sealed class DashboardSecurityTests
{
    private CallQueueApp _app = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void StartApp()
    {
        _app = CallQueueApp.WithRedis(DashboardTestAccounts.Settings());
        _client = _app.Client();
    }

    [OneTimeTearDown]
    public async Task StopApp()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    [TestCase("/hangfire")]
    [TestCase("/hangfire/jobs/failed")]
    [TestCase("/hangfire/js0")]
    public async Task Dashboard_NoCredentials_Returns401WithABasicChallenge(string path)
    {
        using var response = await SendAsync(HttpMethod.Get, path, authorization: null);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(response.Headers.WwwAuthenticate.Select(h => h.Scheme), Is.EqualTo(new[] { "Basic" }));
        });
    }

    [TestCase(DashboardTestAccounts.OperatorUser, "wrong")]
    [TestCase(DashboardTestAccounts.OperatorUser, DashboardTestAccounts.ViewerPassword)]
    [TestCase(DashboardTestAccounts.ViewerUser, DashboardTestAccounts.OperatorPassword)]
    [TestCase("", DashboardTestAccounts.OperatorPassword)]
    public async Task Dashboard_WrongCredentials_Returns401(string user, string password)
    {
        using var response = await SendAsync(HttpMethod.Get, "/hangfire", DashboardTestAccounts.Basic(user, password));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task HomePage_Operator_ShowsCallMetricsAndNoConnectionString()
    {
        using var response = await SendAsync(HttpMethod.Get, "/hangfire", Operator);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(html, Does.Contain("Active calls / max concurrent").And.Contain("0 / 100"));
            Assert.That(html, Does.Contain("Calls per second (last minute) / limit").And.Match(@"\d+\.\d\d? / 10\s"));
            Assert.That(html, Does.Contain("Dialing").And.Contain("running"));
            Assert.That(html, Does.Not.Contain(SharedRedis.Server.ConnectionString).And.Not.Contain("redis://"));
        });
    }

    [Test]
    public async Task Stats_Viewer_StillPollsTheMetrics()
    {
        using var response = await SendAsync(HttpMethod.Post, "/hangfire/stats", Viewer, form: "metrics[]=callqueue:active-calls&metrics[]=callqueue:dialing");
        var json = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(json, Does.Contain("\"callqueue:active-calls\"").And.Contain("0 / 100").And.Contain("running"));
        });
    }

    [Test]
    public async Task Commands_Viewer_AreRefusedByHangfireAndChangeNothing()
    {
        var failed = await OperatorTestCalls.FailedCallAsync(_app, "+14155550441", "dashboard-security");

        using var page = await SendAsync(HttpMethod.Get, "/hangfire/jobs/failed", Viewer);
        var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        using var batch = await SendAsync(HttpMethod.Post, "/hangfire/jobs/failed/requeue", Viewer, form: $"jobs[]={failed.JobId}");
        using var single = await SendAsync(HttpMethod.Post, $"/hangfire/jobs/actions/requeue/{failed.JobId}", Viewer, form: string.Empty);
        using var delete = await SendAsync(HttpMethod.Post, "/hangfire/jobs/failed/delete", Viewer, form: $"jobs[]={failed.JobId}");
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Multiple(() =>
        {
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(html, Does.Contain("Dial +14•••••0441 · dashboard-security · attempt 1/1"));
            Assert.That(html, Does.Contain("Busy after 1 attempt"), "the reason");
            Assert.That(html, Does.Not.Contain("+14155550441"), "the number is masked");
            Assert.That(html, Does.Not.Contain("Requeue jobs"), "no buttons for the viewer");
            Assert.That(batch.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(single.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(OperatorTestCalls.JobState(_app, failed.JobId!)?.Name, Is.EqualTo("Failed"));
            Assert.That(OperatorTestCalls.DialsTo(_app, "+14155550441"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Commands_Operator_RequeueDialsTheCallAgain()
    {
        var failed = await OperatorTestCalls.FailedCallAsync(_app, "+14155550442", "dashboard-security");

        using var page = await SendAsync(HttpMethod.Get, "/hangfire/jobs/failed", Operator);
        var html = await page.Content.ReadAsStringAsync();
        using var requeue = await SendAsync(HttpMethod.Post, "/hangfire/jobs/failed/requeue", Operator, form: $"jobs[]={failed.JobId}");

        var call = await _app.WaitForCallAsync(failed.CallId, c => c.Status == CallStatus.Completed);
        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Contain("Requeue jobs"));
            Assert.That(requeue.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(call.Attempts, Has.Count.EqualTo(2));
            Assert.That(call.AttemptOffset, Is.EqualTo(1));
        });
    }

    private static AuthenticationHeaderValue Operator =>
        DashboardTestAccounts.Basic(DashboardTestAccounts.OperatorUser, DashboardTestAccounts.OperatorPassword);

    private static AuthenticationHeaderValue Viewer =>
        DashboardTestAccounts.Basic(DashboardTestAccounts.ViewerUser, DashboardTestAccounts.ViewerPassword);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, AuthenticationHeaderValue? authorization, string? form = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Headers = { Authorization = authorization } };
        if (form is not null)
        {
            request.Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded");
        }

        return await _client.SendAsync(request);
    }
}
