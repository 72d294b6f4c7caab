using Microsoft.Playwright;

namespace CallQueue.Tests.Dashboard;

/// <summary>
/// Debian's chromium, headless, driven by Playwright, with a fresh profile per session. Never `playwright install`:
/// browsers are not downloaded here, the system's chromium is used. Host resolution is limited to loopback so a page
/// cannot reach the network.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";
    public const string InstallHint = "chromium not found: run ./run-tests.sh or apt-get install chromium";

    private static readonly string[] Arguments =
    [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ];

    private readonly DirectoryInfo _profile;

    private HeadlessChromium(IBrowserContext context, DirectoryInfo profile)
    {
        Context = context;
        _profile = profile;
    }

    public IBrowserContext Context { get; }

    /// <summary>A browser signed in with <paramref name="credentials"/> (basic auth answered on the 401 challenge), or none.</summary>
    public static async Task<HeadlessChromium> StartAsync(IPlaywright playwright, HttpCredentials? credentials)
    {
        ArgumentNullException.ThrowIfNull(playwright);
        if (!File.Exists(ExecutablePath))
        {
            Assert.Fail(InstallHint);
        }

        var profile = Directory.CreateTempSubdirectory("callqueue-chromium-");
        var context = await playwright.Chromium.LaunchPersistentContextAsync(profile.FullName, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Arguments,
            HttpCredentials = credentials,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            Timeout = 30_000,
        });
        return new HeadlessChromium(context, profile);
    }

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        await Context.DisposeAsync();
        try
        {
            _profile.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be letting go of a file; the temp folder is cleaned up by the OS eventually.
        }
    }
}
