using CallQueue.Api.Sandbox;
using CallQueue.Jobs.Plivo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CallQueue.Tests.Sandbox;

/// <summary>The sandbox plays calls on the injected TimeProvider: with a fake clock nothing happens until time moves.</summary>
[TestFixture]
public sealed class PlivoSandboxClockTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private SandboxTestHost _host = null!;

    [OneTimeSetUp]
    public async Task StartHostAsync() =>
        _host = await SandboxTestHost.StartAsync(
            new Dictionary<string, string?> { ["SANDBOX_RING_SECONDS"] = "2", ["SANDBOX_TALK_SECONDS"] = "5" },
            services => services.AddSingleton<TimeProvider>(_clock));

    [OneTimeTearDown]
    public async Task StopHostAsync() => await _host.DisposeAsync();

    [Test]
    public async Task AnsweredCall_FakeClock_RingsAfterRingSecondsAndLastsTalkSeconds()
    {
        _host.Sandbox.SetNumberScript("14155550130", new SandboxNumberScript(SandboxOutcome.Answered));
        var client = _host.CreateClient();
        var accepted = await client.MakeCallAsync(_host.NewCallRequest("14155550130"), CancellationToken.None);

        await Task.Delay(200);
        var beforeTimeMoves = _host.Sandbox.FindCall(accepted.RequestUuid)!;
        var hangup = await AdvanceUntilAsync(() => _host.Received.FirstOrDefault(callback => callback.Kind == "hangup"));

        var call = _host.Sandbox.FindCall(accepted.RequestUuid)!;
        Assert.Multiple(() =>
        {
            Assert.That(beforeTimeMoves.CallStatus, Is.EqualTo("queued"));
            Assert.That(call.InitiatedAt, Is.EqualTo(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero)));
            Assert.That(call.RingAt - call.InitiatedAt, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(2)));
            Assert.That(call.EndAt - call.AnswerAt, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(hangup.Get("Duration"), Is.EqualTo("5"));
            Assert.That(PlivoTimestamp.ParseOrNull(hangup.Get("StartTime")), Is.EqualTo(call.InitiatedAt));
        });
    }

    /// <summary>Moves the fake clock in small steps until <paramref name="probe"/> yields (the sandbox may not be waiting yet).</summary>
    private async Task<T> AdvanceUntilAsync<T>(Func<T?> probe)
        where T : class =>
        await SandboxTestHost.WaitForAsync(
            () =>
            {
                var value = probe();
                if (value is null)
                {
                    _clock.Advance(TimeSpan.FromMilliseconds(250));
                }

                return value;
            },
            "the fake clock to carry the call through");
}
