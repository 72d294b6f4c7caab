using CallQueue.Tests.Support;

namespace CallQueue.Tests.Safety;

/// <summary>Calling hours turned off are said loudly at every start (a real process, its console read).</summary>
[TestFixture]
public sealed class CallingHoursStartupTests
{
    [Test]
    public async Task Start_WithCallingHoursAndLegalHoursOff_WarnsForEach()
    {
        await using var process = await CallQueueProcess.StartAsync(new Dictionary<string, string?>
        {
            ["REDIS_URL"] = string.Empty, ["CALLING_HOURS"] = "off", ["LEGAL_CALLING_HOURS"] = "off", ["QUEUE_WORKERS"] = "0",
        });

        await process.StopAsync();

        Assert.Multiple(() =>
        {
            Assert.That(process.Output, Does.Contain("CALLING_HOURS=off: the deployment's calling hours are OFF"));
            Assert.That(process.Output, Does.Contain("LEGAL_CALLING_HOURS=off: the law's calling hours (TCPA, TRAI, state rules) are NOT enforced"));
        });
    }

    [Test]
    public async Task Start_WithTheDefaults_DoesNotWarnAboutCallingHours()
    {
        await using var process = await CallQueueProcess.StartAsync(new Dictionary<string, string?>
        {
            ["REDIS_URL"] = string.Empty, ["CALLING_HOURS"] = string.Empty, ["LEGAL_CALLING_HOURS"] = string.Empty, ["QUEUE_WORKERS"] = "0",
        });

        await process.StopAsync();

        Assert.That(process.Output, Does.Not.Contain("calling hours are OFF").And.Not.Contain("NOT enforced"));
    }
}
