using System.Net.Http.Json;
using System.Text.Json;
using CallQueue.Jobs.Calls;
using CallQueue.Tests.Operators;
using CallQueue.Tests.Support;
using Microsoft.Playwright;

namespace CallQueue.Tests.Dashboard;

/// <summary>
/// The Campaigns and Calls pages in a real browser (headless Debian chromium via Playwright, loopback only) against the
/// real service (Kestrel, redis-server, Hangfire workers, the Plivo sandbox): a campaign's progress, the operator's
/// Pause and Resume (seen through the API too), the read-only account without buttons and refused, and the search by
/// phone number linking to the call's job. Screenshots are attached to the results (TestResults/screenshots); the
/// Campaigns page's also refreshes docs/dashboard-campaigns.png (the README's) when UPDATE_DOCS_SCREENSHOTS=1.
/// </summary>
[TestFixture]
[Category("Browser")]
public sealed class DashboardCampaignsBrowserTests
{
    private CallQueueApp _app = null!;
    private IPlaywright _playwright = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        if (!File.Exists(HeadlessChromium.ExecutablePath))
        {
            Assert.Fail(HeadlessChromium.InstallHint);
        }

        _app = CallQueueApp.WithRedis(DashboardTestAccounts.Settings());
        _playwright = await Playwright.CreateAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Test]
    public async Task CampaignsPage_OperatorPausesAndResumes_TheStateChangesOnThePageAndInTheApi()
    {
        const string Campaign = "spring-sale";
        await CampaignAsync(Campaign, "+9198765004");
        await CampaignAsync("autumn-renewals", "+9198765005");
        await using var browser = await HeadlessChromium.StartAsync(_playwright, Credentials(DashboardTestAccounts.OperatorUser, DashboardTestAccounts.OperatorPassword));
        var page = await browser.Context.NewPageAsync();
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();

        await page.GotoAsync(Url("/hangfire/campaigns"));
        var row = page.Locator($"tr.js-campaign-row[data-campaign='{Campaign}']");
        await Assertions.Expect(row.Locator(".js-campaign-progress")).ToHaveTextAsync("2 / 4");
        await Assertions.Expect(row.Locator(".js-campaign-state")).ToHaveTextAsync("active");
        await Assertions.Expect(row.Locator(".progress-bar")).ToHaveAttributeAsync("aria-valuenow", "50");
        await ScreenshotAsync(page, "operator-campaigns", docs: "dashboard-campaigns.png");

        await row.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Pause", Exact = true }).ClickAsync();
        await Assertions.Expect(row.Locator(".js-campaign-state")).ToHaveTextAsync("paused");
        var paused = await StateAsync(Campaign);
        await ScreenshotAsync(page, "operator-campaigns-paused");

        await row.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Resume", Exact = true }).ClickAsync();
        await Assertions.Expect(row.Locator(".js-campaign-state")).ToHaveTextAsync("active");
        var resumed = await StateAsync(Campaign);

        await page.GotoAsync(Url($"/hangfire/campaigns/{Campaign}"));
        await Assertions.Expect(page.Locator("tr.js-audit-row").First).ToContainTextAsync("resume");
        await Assertions.Expect(page.Locator("tr.js-call-row")).ToHaveCountAsync(4);
        await ScreenshotAsync(page, "operator-campaign-page");

        Assert.Multiple(async () =>
        {
            Assert.That(paused, Is.EqualTo("paused"));
            Assert.That(resumed, Is.EqualTo("active"));
            Assert.That(await page.Locator("tr.js-audit-row").AllInnerTextsAsync(), Has.All.Contain(DashboardTestAccounts.OperatorUser));
        });
    }

    [Test]
    public async Task CampaignsPage_ReadOnlyAccount_SeesNoButtonsAndAForgedPostIsRefused()
    {
        const string Campaign = "viewer-campaign";
        await CampaignAsync(Campaign, "+9198765006");
        await using var browser = await HeadlessChromium.StartAsync(_playwright, Credentials(DashboardTestAccounts.ViewerUser, DashboardTestAccounts.ViewerPassword));
        var page = await browser.Context.NewPageAsync();

        await page.GotoAsync(Url("/hangfire/campaigns"));
        var row = page.Locator($"tr.js-campaign-row[data-campaign='{Campaign}']");
        await Assertions.Expect(row.Locator(".js-campaign-progress")).ToHaveTextAsync("2 / 4");
        var buttons = await page.Locator(".js-campaign-command").CountAsync();
        await ScreenshotAsync(page, "viewer-campaigns");

        await page.GotoAsync(Url($"/hangfire/campaigns/{Campaign}"));
        await Assertions.Expect(page.Locator("tr.js-call-row")).ToHaveCountAsync(4);
        var pageButtons = await page.Locator(".js-campaign-command").CountAsync();

        // A hand-made POST from the viewer's own signed-in page to the commands behind the buttons.
        var forged = await page.EvaluateAsync<int[]>(
            """
            async (campaign) => {
              const post = (url) => fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: '' });
              return [
                (await post('/hangfire/campaigns/' + encodeURIComponent(campaign) + '/pause')).status,
                (await post('/hangfire/campaigns/' + encodeURIComponent(campaign) + '/cancel')).status,
              ];
            }
            """,
            Campaign);

        Assert.Multiple(async () =>
        {
            Assert.That(buttons, Is.Zero, "no Pause / Resume / Cancel on the list");
            Assert.That(pageButtons, Is.Zero, "nor on the campaign's page");
            Assert.That(forged, Is.EqualTo(new[] { 401, 401 }), "Hangfire refuses the read-only account's commands");
            Assert.That(await StateAsync(Campaign), Is.EqualTo("active"));
        });
    }

    [Test]
    public async Task CallSearch_ByPhoneNumber_FindsTheCallAndLinksToItsJob()
    {
        const string Phone = "+919876500471";
        var call = await OperatorTestCalls.CompletedCallAsync(_app, Phone, "search-campaign");
        await using var browser = await HeadlessChromium.StartAsync(_playwright, Credentials(DashboardTestAccounts.OperatorUser, DashboardTestAccounts.OperatorPassword));
        var page = await browser.Context.NewPageAsync();

        await page.GotoAsync(Url("/hangfire"));
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Calls", Exact = true }).ClickAsync();
        await page.Locator("input.js-call-search").FillAsync("+91 98765 00471");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Search" }).ClickAsync();
        var row = page.Locator($"tr.js-call-row[data-call='{call.CallId}']");
        await Assertions.Expect(row.Locator(".js-call-status")).ToHaveTextAsync("completed");
        await Assertions.Expect(row).ToContainTextAsync(PhoneNumberMask.Mask(Phone));
        await ScreenshotAsync(page, "operator-call-search");

        await row.Locator("a.js-job-link").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync($"Dial {PhoneNumberMask.Mask(Phone)} · search-campaign");
        Assert.That(page.Url, Does.EndWith($"/hangfire/jobs/details/{call.JobId}"));
    }

    /// <summary>A campaign with 2 completed calls, then 2 scheduled two hours ahead (waiting): progress 2 / 4, active.</summary>
    private async Task CampaignAsync(string campaign, string phonePrefix)
    {
        await OperatorTestCalls.CompletedCallAsync(_app, phonePrefix + "01", campaign);
        await OperatorTestCalls.CompletedCallAsync(_app, phonePrefix + "02", campaign);
        foreach (var suffix in new[] { "03", "04" })
        {
            var callId = await OperatorTestCalls.QueueAsync(_app, phonePrefix + suffix, campaign, extra: $"\"scheduled_at\": \"{DateTimeOffset.UtcNow.AddHours(2):O}\"");
            await _app.WaitForCallAsync(callId, c => c.JobId is not null);
        }
    }

    private async Task<string?> StateAsync(string campaign)
    {
        using var client = _app.Client();
        var body = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/campaigns/{campaign}", UriKind.Relative));
        return body.GetProperty("state").GetString();
    }

    private static HttpCredentials Credentials(string user, string password) => new() { Username = user, Password = password };

    private string Url(string path) => new Uri(_app.BaseAddress, path).ToString();

    private static async Task ScreenshotAsync(IPage page, string name, string? docs = null)
    {
        var root = RepositoryRoot();
        var folder = root is null ? TestContext.CurrentContext.WorkDirectory : Path.Combine(root, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{TestContext.CurrentContext.Test.MethodName}-{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.AddTestAttachment(path, name);
        // Only on request, so ordinary runs leave the working tree alone: UPDATE_DOCS_SCREENSHOTS=1 refreshes the README's.
        if (docs is not null && root is not null && Environment.GetEnvironmentVariable("UPDATE_DOCS_SCREENSHOTS") == "1")
        {
            File.Copy(path, Path.Combine(root, "docs", docs), overwrite: true);
        }
    }

    private static string? RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "CallQueueSystem.sln")))
            {
                return folder.FullName;
            }
        }

        return null;
    }
}
