namespace CallQueue.Tests.Support;

/// <summary>
/// One app and client per fixture, with QUEUE_WORKERS=0: nothing is dialed, so the stored state is what the requests
/// left. Redis by default; a fixture overrides <see cref="CreateApp"/> for other storage or settings.
/// </summary>
public abstract class WorkersOffApiFixture
{
    protected CallQueueApp App { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    protected static Dictionary<string, string?> WorkersOff() => new() { ["QUEUE_WORKERS"] = "0" };

    protected virtual CallQueueApp CreateApp() => CallQueueApp.WithRedis(WorkersOff());

    [OneTimeSetUp]
    public void StartApp()
    {
        App = CreateApp();
        Client = App.Client();
    }

    [OneTimeTearDown]
    public async Task StopAppAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
    }
}
