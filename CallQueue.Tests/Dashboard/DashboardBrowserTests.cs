using CallQueue.Jobs.Calls;
using CallQueue.Tests.Operators;
using CallQueue.Tests.Support;
using Microsoft.Playwright;

namespace CallQueue.Tests.Dashboard;

/// <summary>
/// The operator's round trip in a real browser (headless Debian chromium via Playwright, loopback only) against the real
/// service (Kestrel, redis-server, Hangfire workers, the Plivo sandbox): a call fails, an operator signs in, finds it on
/// the Failed page by its masked number and reason, requeues it, and the sandbox is dialed again. Screenshots are
/// attached to the results (TestResults/screenshots).
/// </summary>
[TestFixture]
[Category("Browser")]
public sealed class DashboardBrowserTests
{
    private const string Campaign = "campaign-123";

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
    public async Task FailedPage_OperatorRequeuesTheFailedCall_ItIsDialedAgainWithAFreshBudget()
    {
        const string Phone = "+919876500451";
        var masked = PhoneNumberMask.Mask(Phone);
        var failed = await OperatorTestCalls.FailedCallAsync(_app, Phone, Campaign);
        await using var browser = await HeadlessChromium.StartAsync(_playwright, Credentials(DashboardTestAccounts.OperatorUser, DashboardTestAccounts.OperatorPassword));
        var page = await browser.Context.NewPageAsync();
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();

        var home = await page.GotoAsync(Url("/hangfire"));
        await Assertions.Expect(page.Locator("[data-metric='callqueue:active-calls']")).ToContainTextAsync("/ 100");
        await Assertions.Expect(page.Locator("[data-metric='callqueue:dialing']")).ToContainTextAsync("running");
        await ScreenshotAsync(page, "operator-home");

        await page.GotoAsync(Url("/hangfire/jobs/failed"));
        var row = page.Locator("tr.js-jobs-list-row", new PageLocatorOptions { HasText = masked });
        await Assertions.Expect(row).ToContainTextAsync($"Dial {masked} · {Campaign} · attempt 1/1");
        await Assertions.Expect(row).ToContainTextAsync("Busy after 1 attempt");
        var failedHtml = await page.ContentAsync();
        await ScreenshotAsync(page, "operator-failed-page");

        await row.Locator("input.js-jobs-list-checkbox").CheckAsync();
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Requeue jobs" }).ClickAsync();

        var call = await _app.WaitForCallAsync(failed.CallId, c => c.Attempts.Count == 2 && c.Status == CallStatus.Completed);
        await page.GotoAsync(Url($"/hangfire/jobs/details/{failed.JobId}"));
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync($"Dial {masked} · {Campaign} · attempt 2/2");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Requeued by operator via the dashboard: next attempt 2 of 2");
        await ScreenshotAsync(page, "operator-job-after-requeue");

        Assert.Multiple(() =>
        {
            Assert.That(home?.Status, Is.EqualTo(200));
            Assert.That(failedHtml, Does.Not.Contain(Phone), "the number is masked everywhere on the page");
            Assert.That(OperatorTestCalls.DialsTo(_app, Phone), Is.EqualTo(2), "dialed again through the sandbox");
            Assert.That(call.AttemptOffset, Is.EqualTo(1), "a fresh budget after the first attempt");
            Assert.That(call.Attempts.Select(a => a.Outcome), Is.EqualTo(new CallOutcome?[] { CallOutcome.Busy, CallOutcome.Answered }));
            Assert.That(call.Notes!.Single().Text, Does.StartWith("Requeued by operator via the dashboard"));
        });
    }

    [Test]
    public async Task JobPage_OperatorPressesRequeue_TheCallIsDialedAgain()
    {
        const string Phone = "+919876500453";
        var failed = await OperatorTestCalls.FailedCallAsync(_app, Phone, Campaign);
        await using var browser = await HeadlessChromium.StartAsync(_playwright, Credentials(DashboardTestAccounts.OperatorUser, DashboardTestAccounts.OperatorPassword));
        var page = await browser.Context.NewPageAsync();
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();

        await page.GotoAsync(Url($"/hangfire/jobs/details/{failed.JobId}"));
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync($"Dial {PhoneNumberMask.Mask(Phone)} · {Campaign} · attempt 1/1");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Requeue", Exact = true }).ClickAsync();

        var call = await _app.WaitForCallAsync(failed.CallId, c => c.Attempts.Count == 2 && c.Status == CallStatus.Completed);
        Assert.Multiple(() =>
        {
            Assert.That(OperatorTestCalls.DialsTo(_app, Phone), Is.EqualTo(2));
            Assert.That(call.AttemptOffset, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task FailedPage_ReadOnlyAccount_SeesTheCallButCannotRequeueIt()
    {
        const string Phone = "+919876500452";
        var masked = PhoneNumberMask.Mask(Phone);
        var failed = await OperatorTestCalls.FailedCallAsync(_app, Phone, Campaign);
        await using var browser = await HeadlessChromium.StartAsync(_playwright, Credentials(DashboardTestAccounts.ViewerUser, DashboardTestAccounts.ViewerPassword));
        var page = await browser.Context.NewPageAsync();

        await page.GotoAsync(Url("/hangfire/jobs/failed"));
        var row = page.Locator("tr.js-jobs-list-row", new PageLocatorOptions { HasText = masked });
        await Assertions.Expect(row).ToContainTextAsync("Busy after 1 attempt");
        var buttons = await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Requeue jobs" }).CountAsync();
        var checkboxes = await page.Locator("input.js-jobs-list-checkbox").CountAsync();
        await ScreenshotAsync(page, "viewer-failed-page");

        await page.GotoAsync(Url($"/hangfire/jobs/details/{failed.JobId}"));
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync(masked);
        var jobButtons = await page.Locator(".js-job-command, button:has-text('Requeue')").CountAsync();
        await ScreenshotAsync(page, "viewer-job-page");

        // A hand-made POST from the viewer's own signed-in page to the commands behind the buttons.
        var forged = await page.EvaluateAsync<int[]>(
            """
            async (jobId) => {
              const post = (url, body) => fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
              return [
                (await post('/hangfire/jobs/failed/requeue', 'jobs[]=' + encodeURIComponent(jobId))).status,
                (await post('/hangfire/jobs/actions/requeue/' + encodeURIComponent(jobId), '')).status,
              ];
            }
            """,
            failed.JobId);
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Multiple(() =>
        {
            Assert.That(buttons, Is.Zero, "no Requeue button");
            Assert.That(checkboxes, Is.Zero, "nothing to select");
            Assert.That(jobButtons, Is.Zero, "no Requeue on the job page either");
            Assert.That(forged, Is.EqualTo(new[] { 401, 401 }), "Hangfire refuses the read-only account's commands");
            Assert.That(OperatorTestCalls.JobState(_app, failed.JobId!)?.Name, Is.EqualTo("Failed"));
            Assert.That(OperatorTestCalls.DialsTo(_app, Phone), Is.EqualTo(1), "not dialed again");
        });
    }

    [Test]
    public async Task Dashboard_NoCredentials_Returns401()
    {
        await using var browser = await HeadlessChromium.StartAsync(_playwright, credentials: null);
        var page = await browser.Context.NewPageAsync();

        // The browser meets the basic-auth challenge with nothing to answer and stays out; the same request through the
        // browser context's own HTTP client shows the answer it got.
        var navigation = Assert.ThrowsAsync<PlaywrightException>(() => page.GotoAsync(Url("/hangfire/jobs/failed")));
        var response = await browser.Context.APIRequest.GetAsync(Url("/hangfire/jobs/failed"));
        var body = await response.TextAsync();

        Assert.Multiple(() =>
        {
            Assert.That(navigation?.Message, Does.Contain("ERR_INVALID_AUTH_CREDENTIALS"));
            Assert.That(response.Status, Is.EqualTo(401));
            Assert.That(response.Headers.GetValueOrDefault("www-authenticate"), Does.StartWith("Basic realm="));
            Assert.That(body, Does.Not.Contain("Dial "), "nothing of the dashboard is shown");
        });
    }

    private static HttpCredentials Credentials(string user, string password) => new() { Username = user, Password = password };

    private string Url(string path) => new Uri(_app.BaseAddress, path).ToString();

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(ResultsFolder(), "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{TestContext.CurrentContext.Test.MethodName}-{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.AddTestAttachment(path, name);
    }

    /// <summary>The repository's TestResults folder (where run-tests.sh puts the TRX files), else the test's work folder.</summary>
    private static string ResultsFolder()
    {
        for (var folder = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "CallQueueSystem.sln")))
            {
                return Path.Combine(folder.FullName, "TestResults");
            }
        }

        return TestContext.CurrentContext.WorkDirectory;
    }
}
