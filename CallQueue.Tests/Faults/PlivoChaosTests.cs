using System.Globalization;
using System.Net;
using System.Text;
using CallQueue.Api.Sandbox;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Storage;
using CallQueue.Tests.Support;

namespace CallQueue.Tests.Faults;

/// <summary>
/// A Plivo that refuses 30 % of create-call requests (503) and answers others only after the client's timeout (some
/// after placing the call and calling back, some before placing it): every call ends, within its attempt budget, nobody
/// is rung twice for one attempt, and what Plivo's callbacks said is never overwritten by a timeout.
/// </summary>
[TestFixture]
[Category("Faults")]
public sealed class PlivoChaosTests
{
    private const int Calls = 80;

    [Test]
    public async Task ErrorsAndLateAnswers_EveryCallEndsWithinBudgetAndNobodyIsRungTwicePerAttempt()
    {
        await using var app = CallQueueApp.WithRedis(new Dictionary<string, string?>
        {
            ["PLIVO_TIMEOUT_SECONDS"] = "1",
            ["SANDBOX_FAULT_RATE"] = "0.3",
            ["SANDBOX_FAULT_STATUS"] = "503",
            ["SANDBOX_TALK_SECONDS"] = "0",
            ["RATE_LIMIT_PER_SECOND"] = "50",
            ["QUEUE_WORKERS"] = "8",
        });
        var sandbox = app.Service<PlivoSandbox>();
        for (var i = 0; i < 6; i++)
        {
            sandbox.EnqueueFault(new SandboxFault { DelayMilliseconds = 2_000, PlaceFirst = i % 2 == 0 });
        }

        var numbers = Enumerable.Range(0, Calls).Select(i => $"+1415558{i:D4}").ToList();
        var body = "{ \"batch_id\": \"chaos\", \"calls\": [" + string.Join(',', numbers.Select(n => $$"""
            { "phone_number": "{{n}}", "campaign_id": "chaos", "max_retries": 3, "call_config": { "answer_url": "https://a.example/x" } }
            """)) + "] }";
        using (var client = app.Client())
        using (var content = new StringContent(body, Encoding.UTF8, "application/json"))
        using (var response = await client.PostAsync(new Uri("/api/calls/bulk-queue", UriKind.Relative), content))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        }

        var store = app.Service<ICallStore>();
        var ids = await store.GetBatchCallIdsAsync("chaos", CancellationToken.None);
        var deadline = DateTime.UtcNow.AddMinutes(3);
        IReadOnlyList<CallRecord> calls;
        while (!(calls = await store.GetManyAsync(ids, CancellationToken.None)).All(c => c.Status.IsTerminal() && c.Status != CallStatus.Unknown))
        {
            if (DateTime.UtcNow > deadline)
            {
                break; // asserted below, with the figures
            }

            await Task.Delay(250);
        }

        var placed = sandbox.GetCalls().GroupBy(c => c.To.TrimStart('+')).ToDictionary(g => g.Key, g => g.Count());
        var overBudget = calls.Where(c => c.Attempts.Count > c.AttemptBudget).Select(c => c.CallId).ToList();
        var rungTwice = calls.Where(c => placed.GetValueOrDefault(c.PhoneNumber.TrimStart('+')) > c.Attempts.Count(a => a.Outcome is not (CallOutcome.ProviderError or CallOutcome.NetworkError))).Select(c => c.CallId).ToList();
        await TestContext.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{Calls} calls, {sandbox.GetRequests().Count} create-call requests ({sandbox.GetRequests().Count(r => r.ResponseStatus == 503)} refused 503): "
            + $"outcomes {string.Join(", ", calls.GroupBy(c => c.Status).Select(g => $"{g.Key} {g.Count()}"))}; "
            + $"over budget {overBudget.Count}, rung more than once per attempt {rungTwice.Count}"));
        Assert.Multiple(() =>
        {
            Assert.That(calls.Where(c => !c.Status.IsTerminal()), Is.Empty, "every call ends");
            Assert.That(calls.Where(c => c.Status == CallStatus.Unknown).Select(c => c.StatusReason), Is.Empty, "every late answer was settled from Plivo");
            Assert.That(overBudget, Is.Empty, "attempts within budget");
            Assert.That(rungTwice, Is.Empty, "one placed call per attempt at most");
        });
    }
}
