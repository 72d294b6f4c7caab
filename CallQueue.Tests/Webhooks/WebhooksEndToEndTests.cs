using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CallQueue.Api.Sandbox;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Webhooks;
using CallQueue.Tests.Operators;
using CallQueue.Tests.Support;

namespace CallQueue.Tests.Webhooks;

/// <summary>
/// Call events for the backend from the outside (issue 13): the whole service on a real redis-server, Plivo's sandbox,
/// and a real HTTP receiver on loopback that checks every signature with the secret the backend was given.
/// </summary>
[TestFixture]
[Category("Redis")]
public sealed class WebhooksEndToEndTests
{
    private static readonly string Secret = WebhookSecret.Generate();

    [Test]
    public async Task CallsEnding_EachYieldsItsAttemptEventsAndOneTerminalEvent_SignedInSequence_AndTheBatchOneCompletion()
    {
        await using var receiver = await FakeWebhookReceiver.StartAsync();
        AnswerWith(receiver, _ => WebhookReply.Ok);
        await using var app = App(receiver);
        app.Service<PlivoSandbox>().SetNumberScript("+14155550202", new SandboxNumberScript(SandboxOutcome.Busy));
        using var client = app.Client();
        var single = await OperatorTestCalls.QueueAsync(app, "+14155550201", "hooks");
        using var bulk = await client.PostAsync(new Uri("/api/calls/bulk-queue", UriKind.Relative), Json("""
            {"batch_id": "hooks-batch", "calls": [
              {"phone_number": "+14155550202", "campaign_id": "hooks", "max_retries": 1, "call_config": {"answer_url": "https://agent.example.com/answer"}},
              {"phone_number": "+14155550203", "campaign_id": "hooks", "call_config": {"answer_url": "https://agent.example.com/answer"}}
            ]}
            """));
        Assert.That(bulk.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var callIds = new[] { single, "hooks-batch-00000", "hooks-batch-00001" };

        await WaitAsync(() => Delivered(receiver).Count(e => e.Type == "batch.completed") == 1
            && callIds.All(id => Delivered(receiver).Any(e => e.CallId == id && e.Type != "call.attempt_ended")));

        var received = Delivered(receiver);
        var byCall = callIds.ToDictionary(id => id, id => received.Where(e => e.CallId == id).DistinctBy(e => e.Id).ToList());
        var batch = received.Single(e => e.Type == "batch.completed");
        Assert.Multiple(() =>
        {
            Assert.That(receiver.Received, Has.All.Matches<ReceivedWebhook>(Signed), "every request carries a valid Standard Webhooks signature");
            Assert.That(byCall[single].Select(e => e.Type), Is.EqualTo(new[] { "call.attempt_ended", "call.completed" }));
            Assert.That(byCall["hooks-batch-00000"].Select(e => e.Type), Is.EqualTo(new[] { "call.attempt_ended", "call.attempt_ended", "call.failed" }), "busy twice, then failed");
            Assert.That(byCall.Values.SelectMany(e => e).Count(e => e.Type is "call.completed" or "call.failed"), Is.EqualTo(3), "exactly one terminal event per call");
            Assert.That(byCall.Values.Select(events => events.Select(e => e.Sequence)), Has.All.Matches<IEnumerable<long>>(s => s.SequenceEqual(Enumerable.Range(1, s.Count()).Select(n => (long)n))), "delivered in sequence order");
            Assert.That(byCall[single][1].Data.GetProperty("status").GetString(), Is.EqualTo("completed"), "the call as GET /api/calls/{id} shows it");
            Assert.That(batch.Data.GetProperty("total").GetInt32(), Is.EqualTo(2));
            Assert.That(batch.Data.GetProperty("counts").GetProperty("completed").GetInt32(), Is.EqualTo(1));
            Assert.That(batch.Data.GetProperty("counts").GetProperty("failed").GetInt32(), Is.EqualTo(1));
            Assert.That(receiver.Received.Select(r => r.Headers["authorization"]), Has.All.EqualTo("Bearer backend-key-123"));
        });
    }

    [Test]
    public async Task ReceiverFailingForAWhile_GetsEveryEventOnceItRecovers_InOrderPerCall_AndTheEventsShowTheTries()
    {
        await using var receiver = await FakeWebhookReceiver.StartAsync();
        var failing = true;
        AnswerWith(receiver, _ => Volatile.Read(ref failing) ? new WebhookReply(500) : WebhookReply.Ok);
        await using var app = App(receiver);
        var callIds = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => OperatorTestCalls.QueueAsync(app, $"+1415555021{i}", "hooks")));
        foreach (var callId in callIds)
        {
            await app.WaitForCallAsync(callId, call => call.Status == CallStatus.Completed);
        }

        await WaitAsync(() => receiver.Received.Count >= 6);
        Volatile.Write(ref failing, false);
        await WaitAsync(() => callIds.All(id => Delivered(receiver).Any(e => e.CallId == id && e.Type == "call.completed")), TimeSpan.FromSeconds(60));

        using var client = app.Client();
        var events = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/calls/{callIds[0]}/events", UriKind.Relative));
        Assert.Multiple(() =>
        {
            foreach (var callId in callIds)
            {
                var firstDelivered = Delivered(receiver).Where(e => e.CallId == callId).DistinctBy(e => e.Id).Select(e => e.Type);
                Assert.That(firstDelivered, Is.EqualTo(new[] { "call.attempt_ended", "call.completed" }), "the terminal event waited for the attempt's");
            }

            Assert.That(events.EnumerateArray().Select(e => e.GetProperty("status").GetString()), Has.All.EqualTo("delivered"));
            Assert.That(events[0].GetProperty("deliveries").EnumerateArray().First().GetProperty("status_code").GetInt32(), Is.EqualTo(500));
            Assert.That(events[0].GetProperty("deliveries").EnumerateArray().Last().GetProperty("status_code").GetInt32(), Is.EqualTo(200));
        });
    }

    [Test]
    public async Task EndpointGone_StopsDeliveryAndSaysSoOnHealth_ThenARedeliveryResumesWithTheSameId()
    {
        await using var receiver = await FakeWebhookReceiver.StartAsync();
        var gone = true;
        AnswerWith(receiver, _ => Volatile.Read(ref gone) ? new WebhookReply(410) : WebhookReply.Ok);
        await using var app = App(receiver);
        var callId = await OperatorTestCalls.QueueAsync(app, "+14155550221", "hooks");
        await app.WaitForCallAsync(callId, call => call.Status == CallStatus.Completed);
        using var client = app.Client();
        await WaitAsync(async () => (await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/calls/{callId}/events", UriKind.Relative)))
            .EnumerateArray().Count(e => e.GetProperty("status").GetString() == "gone") == 2);
        var health = await client.GetStringAsync(new Uri("/api/health", UriKind.Relative));
        var sentWhileGone = receiver.Received.Count;

        Volatile.Write(ref gone, false);
        using var redeliver = await client.PostAsync(new Uri($"/api/calls/{callId}/events/redeliver", UriKind.Relative), Json("{}"));
        await WaitAsync(() => Delivered(receiver).Count(e => e.CallId == callId) == 2);

        var ids = Delivered(receiver).Where(e => e.CallId == callId).Select(e => e.Id).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(sentWhileGone, Is.EqualTo(1), "the first 410 stopped delivery to the endpoint: the second event was never sent");
            Assert.That(health, Does.Contain("answered 410 Gone").And.Contain("degraded"));
            Assert.That(redeliver.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(ids, Is.Unique);
            Assert.That(receiver.Received.Select(r => r.Headers["webhook-id"]).Distinct(), Is.EquivalentTo(ids), "the redelivery kept each event's webhook-id");
        });
    }

    [Test]
    public async Task BulkRedelivery_SendsTheMatchingEventsAgainWithTheirIds_AndRefusesABadWindowNamingTheField()
    {
        await using var receiver = await FakeWebhookReceiver.StartAsync();
        AnswerWith(receiver, _ => WebhookReply.Ok);
        await using var app = App(receiver);
        var callId = await OperatorTestCalls.QueueAsync(app, "+14155550251", "hooks");
        await WaitAsync(() => Delivered(receiver).Any(e => e.CallId == callId && e.Type == "call.completed"));
        var completedId = Delivered(receiver).Single(e => e.CallId == callId && e.Type == "call.completed").Id;
        using var client = app.Client();

        using var bad = await client.PostAsync(new Uri("/api/webhooks/redeliver", UriKind.Relative), Json("""{"from": "yesterday"}"""));
        var window = new { from = DateTimeOffset.UtcNow.AddHours(-1), to = DateTimeOffset.UtcNow.AddHours(1), type = "call.completed", status = "delivered" };
        using var good = await client.PostAsJsonAsync(new Uri("/api/webhooks/redeliver", UriKind.Relative), window);
        var answer = await good.Content.ReadFromJsonAsync<JsonElement>();
        await WaitAsync(() => Delivered(receiver).Count(e => e.Id == completedId) == 2);

        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Multiple(() =>
        {
            Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(errors.TryGetProperty("from", out _) && errors.TryGetProperty("to", out _), Is.True, errors.ToString());
            Assert.That(good.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(answer.GetProperty("matched").GetInt32(), Is.EqualTo(1), "only the completed event, of one call");
            Assert.That(answer.GetProperty("redelivered").GetInt32(), Is.EqualTo(1));
            Assert.That(Delivered(receiver).Count(e => e.Type == "call.attempt_ended"), Is.EqualTo(1), "the other event was not sent again");
        });
    }

    [Test]
    public async Task ForgedSecret_FailsVerification()
    {
        await using var receiver = await FakeWebhookReceiver.StartAsync();
        AnswerWith(receiver, _ => WebhookReply.Ok);
        await using var app = App(receiver);
        var callId = await OperatorTestCalls.QueueAsync(app, "+14155550231", "hooks");
        await WaitAsync(() => Delivered(receiver).Any(e => e.CallId == callId && e.Type == "call.completed"));

        var request = receiver.Received[0];
        var forged = WebhookSecret.Parse(WebhookSecret.Generate());
        Assert.Multiple(() =>
        {
            Assert.That(Signed(request), Is.True);
            Assert.That(StandardWebhookSigner.Verify(request.Headers["webhook-id"], request.Headers["webhook-timestamp"], request.Body, request.Headers["webhook-signature"], [forged], DateTimeOffset.UtcNow), Is.False);
            Assert.That(StandardWebhookSigner.Verify(request.Headers["webhook-id"], request.Headers["webhook-timestamp"], request.Body + " ", request.Headers["webhook-signature"], [WebhookSecret.Parse(Secret)], DateTimeOffset.UtcNow), Is.False, "a body changed on the way");
        });
    }

    [Test]
    public async Task WebhookUrlOnAHostNotAllowed_Is400NamingTheField()
    {
        await using var receiver = await FakeWebhookReceiver.StartAsync();
        await using var app = App(receiver);
        using var client = app.Client();

        using var response = await client.PostAsync(new Uri("/api/calls/queue", UriKind.Relative), Json("""
            {"phone_number": "+14155550241", "campaign_id": "hooks", "call_config": {"answer_url": "https://agent.example.com/answer", "webhook_url": "https://evil.example/steal"}}
            """));

        var body = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty("call_config.webhook_url", out _), Is.True, body);
        });
    }

    private static CallQueueApp App(FakeWebhookReceiver receiver) => CallQueueApp.WithRedis(new Dictionary<string, string?>
    {
        ["BACKEND_URL"] = receiver.Url,
        ["BACKEND_API_KEY"] = "backend-key-123",
        ["WEBHOOK_SECRET"] = Secret,
        ["WEBHOOK_RETRY_DELAYS"] = "1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s",
        ["RETRY_DELAY_SECONDS"] = "1",
    });

    private static bool Signed(ReceivedWebhook request) =>
        StandardWebhookSigner.Verify(
            request.Headers["webhook-id"], request.Headers["webhook-timestamp"], request.Body, request.Headers["webhook-signature"], [WebhookSecret.Parse(Secret)], DateTimeOffset.UtcNow);

    // The events the receiver answered 2xx, in the order they arrived (AnswerWith records every answer).
    private static List<Received> Delivered(FakeWebhookReceiver receiver) =>
        (Answers.TryGetValue(receiver, out var answers) ? answers : null)?.Where(answer => answer.Status is >= 200 and < 300).Select(answer =>
        {
            using var json = JsonDocument.Parse(answer.Request.Body);
            var data = json.RootElement.GetProperty("data").Clone();
            return new Received(
                answer.Request.Headers["webhook-id"],
                json.RootElement.GetProperty("type").GetString()!,
                data.TryGetProperty("call_id", out var callId) ? callId.GetString() : null,
                data.TryGetProperty("sequence", out var sequence) ? sequence.GetInt64() : 0,
                data);
        }).ToList() ?? [];

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<FakeWebhookReceiver, System.Collections.Concurrent.ConcurrentQueue<(ReceivedWebhook Request, int Status)>> Answers = [];

    /// <summary>Answers with <paramref name="decide"/> and remembers each answer.</summary>
    private static void AnswerWith(FakeWebhookReceiver receiver, Func<ReceivedWebhook, WebhookReply> decide)
    {
        var answers = Answers.GetOrCreateValue(receiver);
        receiver.Reply = request =>
        {
            var reply = decide(request);
            answers.Enqueue((request, reply.StatusCode));
            return reply;
        };
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static Task WaitAsync(Func<bool> condition, TimeSpan? timeout = null) => WaitAsync(() => Task.FromResult(condition()), timeout);

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(45));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("The condition did not hold in time.");
            }

            await Task.Delay(100);
        }
    }

    private sealed record Received(string Id, string Type, string? CallId, long Sequence, JsonElement Data);
}
