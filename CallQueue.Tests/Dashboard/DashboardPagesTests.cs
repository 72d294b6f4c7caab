using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CallQueue.Api.Dashboard;
using CallQueue.Jobs.Calls;
using CallQueue.Tests.Operators;
using CallQueue.Tests.Support;

namespace CallQueue.Tests.Dashboard;

/// <summary>
/// The Campaigns and Calls pages over HTTP on the real server (redis-server, workers, sandbox) with the operator and
/// the read-only account: what they show, that everything is HTML-encoded, and who may use the commands.
/// </summary>
[TestFixture]
public sealed class DashboardPagesTests
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

    [Test]
    public async Task Navigation_AnyPage_LinksCampaignsAndCalls()
    {
        var (status, html) = await GetAsync("/hangfire", Viewer);

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(html, Does.Contain("href=\"/hangfire/campaigns\"").And.Contain("href=\"/hangfire/calls\""));
        });
    }

    [Test]
    public async Task CallSearch_ByCallId_ShowsTheCallWithItsStatusAttemptsAndJobLink()
    {
        var call = await OperatorTestCalls.CompletedCallAsync(_app, "+14155550631", "pages-search");

        var (status, html) = await GetAsync($"/hangfire/calls?q={Uri.EscapeDataString(" " + call.CallId + " ")}", Viewer);

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(html, Does.Contain($"data-call=\"{call.CallId}\""));
            Assert.That(html, Does.Contain($"href=\"/hangfire/jobs/details/{call.JobId}\""));
            Assert.That(html, Does.Contain("completed").And.Contain("1 / 1"));
            Assert.That(html, Does.Contain("href=\"/hangfire/campaigns/pages-search\""));
            Assert.That(WebUtility.HtmlDecode(html), Does.Contain(PhoneNumberMask.Mask(call.PhoneNumber)).And.Not.Contain(call.PhoneNumber));
        });
    }

    [Test]
    public async Task CallSearch_Unknown_SaysSoAndEncodesTheQuery()
    {
        var (status, html) = await GetAsync("/hangfire/calls?q=" + Uri.EscapeDataString("<script>alert(1)</script>\"'"), Viewer);

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(html, Does.Not.Contain("<script>alert(1)"));
            Assert.That(html, Does.Contain("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;"));
            Assert.That(html, Does.Contain("No call with the id or the number"));
        });
    }

    [Test]
    public async Task CampaignsPage_Operator_ShowsProgressStateAndButtons()
    {
        const string Campaign = "pages-list <b>&";
        await CampaignAsync(Campaign, "+1415555064");

        var (status, html) = await GetAsync("/hangfire/campaigns", Operator);

        var row = Row(html, "data-campaign=\"" + WebUtility.HtmlEncode(Campaign) + "\"");
        var escaped = Uri.EscapeDataString(Campaign);
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(html, Does.Not.Contain("<b>&"), "the campaign id is HTML-encoded");
            Assert.That(row, Does.Contain("2 / 4").And.Contain("active"));
            Assert.That(row, Does.Contain($"data-ajax=\"/hangfire/campaigns/{escaped}/pause\""));
            Assert.That(row, Does.Contain($"data-ajax=\"/hangfire/campaigns/{escaped}/cancel\""));
            Assert.That(row, Does.Not.Contain("/resume\""), "an active campaign cannot be resumed");
        });
    }

    [Test]
    public async Task CampaignsPage_Viewer_NoButtonsAndItsCommandsAreRefused()
    {
        const string Campaign = "pages-viewer";
        await CampaignAsync(Campaign, "+1415555065");

        var (_, html) = await GetAsync("/hangfire/campaigns", Viewer);
        var pause = await PostAsync($"/hangfire/campaigns/{Campaign}/pause", Viewer);
        var cancel = await PostAsync($"/hangfire/campaigns/{Campaign}/cancel", Viewer);
        var state = (await ApiAsync($"/api/campaigns/{Campaign}")).GetProperty("state").GetString();

        Assert.Multiple(() =>
        {
            Assert.That(Row(html, $"data-campaign=\"{Campaign}\""), Does.Contain("2 / 4"));
            Assert.That(html, Does.Not.Contain("js-campaign-command"));
            Assert.That(new[] { pause, cancel }, Is.EqualTo(new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized }));
            Assert.That(state, Is.EqualTo("active"));
        });
    }

    [Test]
    public async Task Commands_Operator_PauseAndResumeChangeTheStateAndAreAudited()
    {
        const string Campaign = "pages-commands";
        await CampaignAsync(Campaign, "+1415555066");

        var pause = await PostAsync($"/hangfire/campaigns/{Campaign}/pause", Operator);
        var paused = (await ApiAsync($"/api/campaigns/{Campaign}")).GetProperty("state").GetString();
        var again = await PostAsync($"/hangfire/campaigns/{Campaign}/pause", Operator);
        var getPause = await GetAsync($"/hangfire/campaigns/{Campaign}/pause", Operator);
        var resume = await PostAsync($"/hangfire/campaigns/{Campaign}/resume", Operator);
        var resumed = (await ApiAsync($"/api/campaigns/{Campaign}")).GetProperty("state").GetString();
        var (_, page) = await GetAsync($"/hangfire/campaigns/{Campaign}", Viewer);

        Assert.Multiple(() =>
        {
            Assert.That(pause, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(paused, Is.EqualTo("paused"));
            Assert.That(again, Is.EqualTo((HttpStatusCode)422), "a paused campaign cannot be paused");
            Assert.That(getPause.Status, Is.EqualTo(HttpStatusCode.MethodNotAllowed), "commands are POST only");
            Assert.That(resume, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(resumed, Is.EqualTo("active"));
            Assert.That(Row(page, "class=\"js-audit-row\""), Does.Contain(">resume<").And.Contain(">" + DashboardTestAccounts.OperatorUser + "<"));
            Assert.That(page, Does.Contain(">pause<"));
        });
    }

    [Test]
    public async Task CampaignPage_StatusFilter_ListsThoseCallsWithReasonsAndJobLinks()
    {
        const string Campaign = "pages-calls";
        var calls = await CampaignAsync(Campaign, "+1415555067");

        var (status, all) = await GetAsync($"/hangfire/campaigns/{Campaign}", Viewer);
        var (_, completed) = await GetAsync($"/hangfire/campaigns/{Campaign}?status=completed", Viewer);

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Rows(all, "class=\"js-call-row\""), Has.Count.EqualTo(4));
            Assert.That(Rows(completed, "class=\"js-call-row\""), Has.Count.EqualTo(2));
            Assert.That(completed, Does.Contain($"href=\"/hangfire/jobs/details/{calls[0].JobId}\""));
            Assert.That(all, Does.Contain("scheduled"));
            Assert.That(all.IndexOf(calls[3].CallId, StringComparison.Ordinal), Is.LessThan(all.IndexOf(calls[0].CallId, StringComparison.Ordinal)), "newest first");
            Assert.That(all, Does.Not.Contain("js-campaign-command"), "no buttons for the viewer here either");
        });
    }

    [Test]
    public async Task CampaignPage_Unknown_Returns404()
    {
        var (status, html) = await GetAsync("/hangfire/campaigns/never-queued", Viewer);

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(html, Does.Contain("No campaign"));
        });
    }

    [Test]
    public async Task CallSearch_ByPhoneNumberAsPeopleTypeIt_FindsEveryCallToIt()
    {
        var first = await OperatorTestCalls.CompletedCallAsync(_app, "+14155550681", "pages-number");
        var second = await OperatorTestCalls.CompletedCallAsync(_app, "+14155550681", "pages-number-2");

        var (status, html) = await GetAsync("/hangfire/calls?q=" + Uri.EscapeDataString("+1 (415) 555-0681"), Viewer);

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Rows(html, "class=\"js-call-row\""), Has.Count.EqualTo(2));
            Assert.That(html.IndexOf(second.CallId, StringComparison.Ordinal), Is.LessThan(html.IndexOf(first.CallId, StringComparison.Ordinal)), "newest first");
            Assert.That(html, Does.Contain($"href=\"/hangfire/jobs/details/{first.JobId}\""));
        });
    }

    /// <summary>A campaign with 2 completed calls, then 2 scheduled two hours ahead (waiting): progress 2 / 4, active.</summary>
    private async Task<List<CallRecord>> CampaignAsync(string campaign, string phonePrefix)
    {
        var calls = new List<CallRecord>
        {
            await OperatorTestCalls.CompletedCallAsync(_app, phonePrefix + "1", campaign),
            await OperatorTestCalls.CompletedCallAsync(_app, phonePrefix + "2", campaign),
        };
        foreach (var suffix in new[] { "3", "4" })
        {
            var callId = await OperatorTestCalls.QueueAsync(_app, phonePrefix + suffix, campaign, extra: $"\"scheduled_at\": \"{DateTimeOffset.UtcNow.AddHours(2):O}\"");
            calls.Add(await _app.WaitForCallAsync(callId, c => c.JobId is not null));
        }

        return calls;
    }

    /// <summary>The first table row whose opening tag holds <paramref name="marker"/>, or "" when none.</summary>
    private static string Row(string html, string marker) => Rows(html, marker).FirstOrDefault() ?? string.Empty;

    private static List<string> Rows(string html, string marker)
    {
        var rows = new List<string>();
        for (var at = html.IndexOf(marker, StringComparison.Ordinal); at >= 0; at = html.IndexOf(marker, at + 1, StringComparison.Ordinal))
        {
            var end = html.IndexOf("</tr>", at, StringComparison.Ordinal);
            rows.Add(html[at..(end < 0 ? html.Length : end)]);
        }

        return rows;
    }

    [TestCase("+919876543210", "+919876543210")]
    [TestCase(" +91 98765-43210 ", "+919876543210")]
    [TestCase("+1 (415) 555.0123", "+14155550123")]
    [TestCase("00919876543210", "+919876543210")]
    [TestCase("919876543210", null)]
    [TestCase("call_0123456789", null)]
    [TestCase("+0123456789", null)]
    public void PhoneNumber_Query_NormalisedToE164OrNull(string query, string? expected) =>
        Assert.That(CampaignsDashboard.PhoneNumber(query.Trim()), Is.EqualTo(expected));

    private static AuthenticationHeaderValue Operator =>
        DashboardTestAccounts.Basic(DashboardTestAccounts.OperatorUser, DashboardTestAccounts.OperatorPassword);

    private static AuthenticationHeaderValue Viewer =>
        DashboardTestAccounts.Basic(DashboardTestAccounts.ViewerUser, DashboardTestAccounts.ViewerPassword);

    private async Task<(HttpStatusCode Status, string Html)> GetAsync(string path, AuthenticationHeaderValue authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative)) { Headers = { Authorization = authorization } };
        using var response = await _client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<HttpStatusCode> PostAsync(string path, AuthenticationHeaderValue authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Headers = { Authorization = authorization },
            Content = new StringContent(string.Empty, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        using var response = await _client.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<JsonElement> ApiAsync(string path)
    {
        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative));
        return JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());
    }
}
