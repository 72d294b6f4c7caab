using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CallQueue.Jobs.Audit;
using CallQueue.Tests.Operators;
using CallQueue.Tests.Support;

namespace CallQueue.Tests.Audit;

/// <summary>
/// GET /api/audit and the actions the API records (do-not-call changes, cancels), over real HTTP on redis-server with a
/// named API key (<c>ops:…</c>), workers off.
/// </summary>
[TestFixture]
public sealed class AuditApiTests : WorkersOffApiFixture
{
    private const string Key = "audit-tests-key-0123456789abcdef";

    protected override CallQueueApp CreateApp()
    {
        var settings = WorkersOff();
        settings["API_KEYS"] = "ops:" + Key;
        return CallQueueApp.WithRedis(settings);
    }

    [Test]
    public async Task DncAddAndRemove_ByANamedKey_RecordedUnderItsNameWithTheNumberMasked()
    {
        using var added = await SendAsync(HttpMethod.Post, "/api/dnc", """{ "phone_numbers": ["+14155550601"], "campaign_id": "spring" }""");
        using var addedMany = await SendAsync(HttpMethod.Post, "/api/dnc", """{ "phone_numbers": ["+14155550602", "+14155550603", "bad"] }""");
        using var removed = await SendAsync(HttpMethod.Delete, "/api/dnc/+14155550601?campaign_id=spring");

        var (status, body, text) = await GetAsync("/api/audit?limit=10");

        var entries = Entries(body).Where(e => e.Target.StartsWith("dnc", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(new[] { added.StatusCode, addedMany.StatusCode, removed.StatusCode }, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.NoContent }));
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), text);
            Assert.That(entries.Select(e => (e.Actor, e.Action, e.Target)), Is.EqualTo(new[]
            {
                ("ops", "dnc.remove", "dnc:+14•••••0601"),
                ("ops", "dnc.add", "dnc"),
                ("ops", "dnc.add", "dnc:+14•••••0601"),
            }));
            Assert.That(entries[0].Detail, Is.EqualTo("campaign spring"));
            Assert.That(entries[1].Detail, Is.EqualTo("2 listed, 0 already listed, 1 rejected; global"));
            Assert.That(entries[2].At, Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(1)));
            Assert.That(text, Does.Not.Contain("+14155550601"), "numbers are masked in the audit log, as in the logs");
            Assert.That(text, Does.Contain("\"at\":").And.Contain("\"actor\":").And.Contain("\"calls\":0"));
            Assert.That(body.TryGetProperty("next_before", out _), Is.False, "the last page");
        });
    }

    [Test]
    public async Task CancelCall_NotDialedYet_RecordedOnTheCall()
    {
        var body = OperatorTestCalls.Body("+14155550611", "audit-cancel", extra: $"\"scheduled_at\": \"{DateTimeOffset.UtcNow.AddHours(2):O}\"");
        using var queued = await SendAsync(HttpMethod.Post, "/api/calls/queue", body);
        var callId = (await queued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("call_id").GetString()!;
        using var cancelled = await SendAsync(HttpMethod.Delete, $"/api/calls/{callId}");

        var (_, audit, _) = await GetAsync($"/api/audit?target=call:{callId}");

        Assert.Multiple(() =>
        {
            Assert.That(cancelled.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Entries(audit).Select(e => (e.Actor, e.Action, e.Target, e.Calls, e.Detail)), Is.EqualTo(new[]
            {
                ("ops", "cancel", "call:" + callId, 1L, (string?)"not dialed yet (campaign audit-cancel)"),
            }));
        });
    }

    [Test]
    public async Task List_ByPages_EveryEntryOnceNewestFirst()
    {
        var log = App.Service<IAuditLog>();
        var at = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        for (var i = 0; i < 5; i++)
        {
            await log.RecordAsync(new AuditEntry(at.AddSeconds(i / 2), "ops", "pause", "campaign:paging", i), CancellationToken.None);
        }

        var seen = new List<long>();
        var pages = 0;
        string? before = null;
        do
        {
            var (status, body, text) = await GetAsync($"/api/audit?target=campaign:paging&limit=2{(before is null ? string.Empty : "&before=" + Uri.EscapeDataString(before))}");
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), text);
            seen.AddRange(Entries(body).Select(e => e.Calls));
            before = body.TryGetProperty("next_before", out var next) ? next.GetString() : null;
            pages++;
        }
        while (before is not null && pages < 10);

        Assert.That(seen, Is.EquivalentTo(new long[] { 4, 3, 2, 1, 0 }), "pairs recorded in one millisecond are never split between pages");
        Assert.That(seen[0], Is.EqualTo(4));
    }

    [TestCase("limit=0", "limit")]
    [TestCase("limit=201", "limit")]
    [TestCase("limit=ten", "limit")]
    [TestCase("before=yesterday", "before")]
    public async Task List_BadQuery_Returns400NamingTheParameter(string query, string field)
    {
        var (status, body, text) = await GetAsync("/api/audit?" + query);

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), text);
            Assert.That(body.GetProperty("errors").TryGetProperty(field, out _), Is.True, text);
        });
    }

    [Test]
    public async Task List_WithoutAKey_Returns401()
    {
        using var client = App.Client();
        using var response = await client.GetAsync(new Uri("/api/audit", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    private static List<AuditEntry> Entries(JsonElement body) =>
        body.GetProperty("entries").Deserialize<List<AuditEntry>>(CallQueueApp.Json)!;

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Add("X-API-Key", Key);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await Client.SendAsync(request);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body, string Text)> GetAsync(string path)
    {
        using var response = await SendAsync(HttpMethod.Get, path);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonSerializer.Deserialize<JsonElement>(text), text);
    }
}
