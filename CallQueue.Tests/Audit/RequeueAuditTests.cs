using System.Net;
using System.Text;
using CallQueue.Jobs.Audit;
using CallQueue.Jobs.Calls;
using CallQueue.Tests.Dashboard;
using CallQueue.Tests.Operators;
using CallQueue.Tests.Support;

namespace CallQueue.Tests.Audit;

/// <summary>
/// Requeues are recorded wherever they come from: the API (open here: the actor is "anonymous"), single and bulk, and the
/// dashboard's Requeue button (the signed-in user). Real redis-server, workers and sandbox.
/// </summary>
[TestFixture]
public sealed class RequeueAuditTests
{
    private CallQueueApp _app = null!;

    [OneTimeSetUp]
    public void StartApp() => _app = CallQueueApp.WithRedis(DashboardTestAccounts.Settings());

    [OneTimeTearDown]
    public async Task StopApp() => await _app.DisposeAsync();

    [Test]
    public async Task Requeue_ViaTheApi_RecordedUnderAnonymousOnTheCall()
    {
        var failed = await OperatorTestCalls.FailedCallAsync(_app, "+14155550621", "audit-requeue");

        var (status, _) = await OperatorTestCalls.PostAsync(_app, $"/api/calls/{failed.CallId}/requeue");
        await _app.WaitForCallAsync(failed.CallId, c => c.Status == CallStatus.Completed);

        var entries = await _app.Service<IAuditLog>().ListAsync(new AuditQuery("call:" + failed.CallId), CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(entries.Select(e => (e.Actor, e.Action, e.Calls, e.Detail)), Is.EqualTo(new[]
            {
                ("anonymous", "requeue", 1L, (string?)"via the API (campaign audit-requeue)"),
            }), "one entry: the filter leaves the API's requeues to the API");
        });
    }

    [Test]
    public async Task BulkRequeue_ViaTheApi_OneEntryOnTheCampaignWithTheCount()
    {
        var first = await OperatorTestCalls.FailedCallAsync(_app, "+14155550622", "audit-bulk");
        var second = await OperatorTestCalls.FailedCallAsync(_app, "+14155550623", "audit-bulk");

        var (status, body) = await OperatorTestCalls.PostAsync(_app, "/api/calls/requeue", """{ "campaign_id": "audit-bulk" }""");

        var entries = await _app.Service<IAuditLog>().ListAsync(new AuditQuery("campaign:audit-bulk"), CancellationToken.None);
        var perCall = await _app.Service<IAuditLog>().ListAsync(new AuditQuery("call:" + first.CallId), CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
            Assert.That(entries, Has.Count.EqualTo(1));
            Assert.That(entries[0].Actor, Is.EqualTo("anonymous"));
            Assert.That(entries[0].Action, Is.EqualTo("requeue"));
            Assert.That(entries[0].Calls, Is.EqualTo(2));
            Assert.That(entries[0].Detail, Does.StartWith("bulk via the API: "));
            Assert.That(perCall, Is.Empty, "a bulk requeue is one entry, not one per call");
            Assert.That(second.CallId, Is.Not.EqualTo(first.CallId));
        });
    }

    [Test]
    public async Task Requeue_ViaTheDashboard_RecordedUnderTheSignedInUser()
    {
        var failed = await OperatorTestCalls.FailedCallAsync(_app, "+14155550624", "audit-dashboard");
        using var client = _app.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/hangfire/jobs/failed/requeue", UriKind.Relative))
        {
            Headers = { Authorization = DashboardTestAccounts.Basic(DashboardTestAccounts.OperatorUser, DashboardTestAccounts.OperatorPassword) },
            Content = new StringContent($"jobs[]={failed.JobId}", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };

        using var response = await client.SendAsync(request);
        await _app.WaitForCallAsync(failed.CallId, c => c.Status == CallStatus.Completed);

        var entries = await _app.Service<IAuditLog>().ListAsync(new AuditQuery("call:" + failed.CallId), CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(entries.Select(e => (e.Actor, e.Action, e.Calls, e.Detail)), Is.EqualTo(new[]
            {
                (DashboardTestAccounts.OperatorUser, "requeue", 1L, (string?)$"via the dashboard (campaign audit-dashboard, job {failed.JobId})"),
            }));
        });
    }
}
