using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CallQueue.Tests.Support;
using StackExchange.Redis;

namespace CallQueue.Tests.Hostile;

/// <summary>
/// Every endpoint, every field, a generated corpus of bad values (wrong types, nulls, huge, deep, control characters,
/// unpaired surrogates, invalid UTF-8, limits ± 1, path and query tricks, wrong content types) against the real service
/// on a real redis-server: no answer is a 5xx, every 4xx is problem details naming the field, every accepted id reads
/// back through every URL that takes it, and Redis holds exactly the calls that were accepted.
/// </summary>
[TestFixture]
[Category("Hostile")]
public sealed class HostileInputTests : WorkersOffApiFixture
{
    private const string Sentinel = "__HOSTILE__";

    private readonly List<string> _accepted = [];
    private readonly List<string> _serverErrors = [];
    private int _requests;

    [SetUp]
    public void ForgetServerErrors() => _serverErrors.Clear();

    [Test]
    [Order(1)]
    public async Task QueueEndpoints_EveryFieldWithEveryBadValue_NoServerErrorAndTheFieldIsNamed()
    {
        foreach (var path in new[] { "/api/calls/queue", "/api/calls/outbound" })
        {
            foreach (var field in QueueFields)
            {
                foreach (var (name, fragment) in BadValues())
                {
                    using var response = await SendJsonAsync(HttpMethod.Post, path, WithField(ValidCall(), field, fragment));
                    await ExpectAsync(response, $"{path} {field} = {name}", field, accepted: IsAccepted);
                }
            }
        }

        AssertNoServerErrors();
    }

    [Test]
    [Order(2)]
    public async Task BulkQueue_EveryFieldOfAnItemAndOfTheEnvelope_NoServerErrorAndNothingHalfWritten()
    {
        foreach (var field in QueueFields)
        {
            foreach (var (name, fragment) in BadValues())
            {
                // One bad item between two good ones: the good ones are queued, the bad one is named by its index.
                var batch = new JsonObject { ["calls"] = new JsonArray(ValidCall(), ValidCall(), ValidCall()) };
                var body = WithField(batch, "calls[1]." + field, fragment);
                using var response = await SendJsonAsync(HttpMethod.Post, "/api/calls/bulk-queue", body);
                await ExpectBulkAsync(response, $"bulk calls[1].{field} = {name}", "calls[1]." + field);
            }
        }

        foreach (var field in new[] { "batch_id", "calls" })
        {
            foreach (var (name, fragment) in BadValues())
            {
                var batch = new JsonObject { ["batch_id"] = "hb-" + Guid.NewGuid().ToString("N")[..10], ["calls"] = new JsonArray(ValidCall()) };
                using var response = await SendJsonAsync(HttpMethod.Post, "/api/calls/bulk-queue", WithField(batch, field, fragment));
                await ExpectBulkAsync(response, $"bulk {field} = {name}", field);
            }
        }

        foreach (var key in HeaderValues())
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/calls/bulk-queue")
            {
                Content = JsonContent(Encoding.UTF8.GetBytes(new JsonObject { ["calls"] = new JsonArray(ValidCall()) }.ToJsonString())),
            };
            if (!request.Headers.TryAddWithoutValidation("Idempotency-Key", key))
            {
                continue;
            }

            using var response = await SendAsync(request);
            await ExpectBulkAsync(response, $"bulk Idempotency-Key = {Printable(key)}", "Idempotency-Key");
        }

        AssertNoServerErrors();
    }

    [Test]
    [Order(3)]
    public async Task ResultsAndRequeue_EveryFieldWithEveryBadValue_NoServerErrorAndTheFieldIsNamed()
    {
        var callId = await QueueOneAsync();
        foreach (var field in new[] { "call_id", "call_outcome", "duration_seconds", "transcript", "recording_url", "do_not_call", "extra" })
        {
            foreach (var (name, fragment) in BadValues())
            {
                var result = new JsonObject { ["call_id"] = callId, ["call_outcome"] = "completed", ["transcript"] = "hello" };
                using var response = await SendJsonAsync(HttpMethod.Post, "/api/calls/results", WithField(result, field, fragment));
                // The result is read as a JSON document, whose parser reports syntax and depth errors by position, not path.
                await ExpectAsync(response, $"results {field} = {name}", ParsesAsJson(fragment) ? field : null, accepted: r => r.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound);
            }
        }

        foreach (var field in new[] { "campaign_id", "outcome", "from", "to", "limit" })
        {
            foreach (var (name, fragment) in BadValues())
            {
                var requeue = new JsonObject { ["campaign_id"] = "hostile" };
                using var response = await SendJsonAsync(HttpMethod.Post, "/api/calls/requeue", WithField(requeue, field, fragment));
                await ExpectAsync(response, $"requeue {field} = {name}", field, accepted: r => r.StatusCode == HttpStatusCode.OK);
            }
        }

        AssertNoServerErrors();
    }

    [Test]
    [Order(4)]
    public async Task EveryJsonEndpoint_BrokenBodiesAndContentTypes_NoServerError()
    {
        var bodies = new (string Name, byte[] Bytes, string? ContentType)[]
        {
            ("empty", [], "application/json"),
            ("not json", "hello"u8.ToArray(), "application/json"),
            ("truncated", "{\"phone_number\":"u8.ToArray(), "application/json"),
            ("null", "null"u8.ToArray(), "application/json"),
            ("array", "[]"u8.ToArray(), "application/json"),
            ("string", "\"x\""u8.ToArray(), "application/json"),
            ("deep", Encoding.ASCII.GetBytes(new string('[', 200) + new string(']', 200)), "application/json"),
            ("invalid utf-8", [(byte)'{', (byte)'"', 0xff, 0xfe, (byte)'"', (byte)':', (byte)'1', (byte)'}'], "application/json"),
            ("bom then json", [0xef, 0xbb, 0xbf, (byte)'{', (byte)'}'], "application/json"),
            ("form", "a=b"u8.ToArray(), "application/x-www-form-urlencoded"),
            ("multipart without boundary", "abc"u8.ToArray(), "multipart/form-data"),
            ("text", "{}"u8.ToArray(), "text/plain"),
            ("bad charset", "{}"u8.ToArray(), "application/json; charset=ebcdic"),
            ("no content type", "{}"u8.ToArray(), null),
        };
        var endpoints = new[]
        {
            "/api/calls/queue", "/api/calls/outbound", "/api/calls/bulk-queue", "/api/calls/results", "/api/calls/requeue", "/api/dnc",
            "/sandbox/control/faults", "/sandbox/control/numbers/+14155550123",
        };
        foreach (var endpoint in endpoints)
        {
            foreach (var (name, bytes, contentType) in bodies)
            {
                var method = endpoint.Contains("/numbers/", StringComparison.Ordinal) ? HttpMethod.Put : HttpMethod.Post;
                using var request = new HttpRequestMessage(method, endpoint) { Content = new ByteArrayContent(bytes) };
                if (contentType is not null)
                {
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
                }

                using var response = await SendAsync(request);
                await ExpectAsync(response, $"{endpoint} body {name}", field: null, accepted: r => r.IsSuccessStatusCode);
            }
        }

        AssertNoServerErrors();
    }

    [Test]
    [Order(5)]
    public async Task PlivoCallbacks_MalformedOrUnsignedForms_AreRefusedWithoutServerError()
    {
        var signed = new Dictionary<string, string> { ["X-Plivo-Signature-V3"] = "c2lnbmF0dXJl", ["X-Plivo-Signature-V3-Nonce"] = "12345" };
        var forms = new (string Name, byte[] Body, string ContentType)[]
        {
            ("5000 fields", Encoding.ASCII.GetBytes(string.Join('&', Enumerable.Range(0, 5000).Select(i => $"k{i}=v"))), "application/x-www-form-urlencoded"),
            ("huge key", Encoding.ASCII.GetBytes(new string('k', 300_000) + "=v"), "application/x-www-form-urlencoded"),
            ("key over the limit", Encoding.ASCII.GetBytes(new string('k', 300) + "=v"), "application/x-www-form-urlencoded"),
            ("huge value", Encoding.ASCII.GetBytes("k=" + new string('v', 2_000_000)), "application/x-www-form-urlencoded"),
            ("NUL in a key", "a%00b=1"u8.ToArray(), "application/x-www-form-urlencoded"),
            ("bad percent-encoding", "a=%zz%"u8.ToArray(), "application/x-www-form-urlencoded"),
            ("broken multipart", "--xx\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--yy--"u8.ToArray(), "multipart/form-data; boundary=xx"),
            ("multipart without boundary", "abc"u8.ToArray(), "multipart/form-data"),
            ("json", "{}"u8.ToArray(), "application/json"),
            ("a plausible form", "CallUUID=x&CallStatus=completed&HangupCauseCode=4000"u8.ToArray(), "application/x-www-form-urlencoded"),
        };
        foreach (var path in new[] { "/api/plivo/ring", "/api/plivo/hangup", "/api/plivo/machine" })
        {
            foreach (var query in new[] { "?call_id=x&attempt=1", string.Empty, "?call_id=%00&attempt=-1", "?attempt=99999999999" })
            {
                foreach (var (name, body, contentType) in forms)
                {
                    foreach (var headers in new[] { new Dictionary<string, string>(), signed })
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Post, path + query) { Content = new ByteArrayContent(body) };
                        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
                        foreach (var (header, value) in headers)
                        {
                            request.Headers.Add(header, value);
                        }

                        using var response = await SendAsync(request);
                        Assert.That((int)response.StatusCode, Is.InRange(400, 499), $"{path}{query} {name} {(headers.Count == 0 ? "unsigned" : "forged")}: a callback that is not Plivo's changes nothing");
                    }
                }
            }
        }

        AssertNoServerErrors();
    }

    [Test]
    [Order(6)]
    public async Task PathsAndQueries_TrickyIds_NoServerErrorAndEveryAcceptedIdReadsBack()
    {
        string[] ids = ["..", ".", "%2e%2e", "a/b", "a%2Fb", "a?b", "a#b", " ", "a b", "ü", "😀", new string('x', 5000), "%", "%zz", "\\", "a;b", "call_%00"];
        foreach (var id in ids)
        {
            var escaped = Uri.EscapeDataString(id);
            foreach (var (method, url) in new[]
            {
                (HttpMethod.Get, $"/api/calls/{escaped}"), (HttpMethod.Get, $"/api/calls/{escaped}/status"), (HttpMethod.Delete, $"/api/calls/{escaped}"),
                (HttpMethod.Post, $"/api/calls/{escaped}/requeue"), (HttpMethod.Get, $"/api/batches/{escaped}"), (HttpMethod.Get, $"/api/campaigns/{escaped}/calls"),
                (HttpMethod.Get, $"/api/campaigns/x/calls?status={escaped}"), (HttpMethod.Get, $"/api/campaigns/x/calls?limit={escaped}"),
                (HttpMethod.Get, $"/api/campaigns/x/calls?cursor={escaped}"),
            })
            {
                using var request = new HttpRequestMessage(method, url);
                using var response = await SendAsync(request);
                await ExpectAsync(response, $"{method} {url}", field: null, accepted: r => r.IsSuccessStatusCode);
            }

            // The same text as a campaign, a custom_call_id and a batch id: accepted only if it reads back.
            foreach (var field in new[] { "campaign_id", "custom_call_id" })
            {
                var call = ValidCall();
                call[field] = id;
                using var response = await SendJsonAsync(HttpMethod.Post, "/api/calls/queue", Encoding.UTF8.GetBytes(call.ToJsonString()));
                await ExpectAsync(response, $"queue {field} = {Printable(id)}", field, accepted: IsAccepted);
            }

            var batch = new JsonObject { ["batch_id"] = id, ["calls"] = new JsonArray(ValidCall()) };
            using var bulk = await SendJsonAsync(HttpMethod.Post, "/api/calls/bulk-queue", Encoding.UTF8.GetBytes(batch.ToJsonString()));
            await ExpectBulkAsync(bulk, $"bulk batch_id = {Printable(id)}", "batch_id");
        }

        AssertNoServerErrors();
    }

    [Test]
    [Order(7)]
    public async Task DoNotCall_EveryFieldWithEveryBadValue_NoServerErrorAndTheFieldOrTheItemIsNamed()
    {
        foreach (var field in new[] { "phone_numbers", "phone_numbers[1]", "campaign_id", "reason", "unknown_field" })
        {
            foreach (var (name, fragment) in BadValues())
            {
                // One bad number between two good ones: the good ones are listed, the bad one is named by its index.
                var body = new JsonObject { ["phone_numbers"] = new JsonArray("+14155550123", "+14155550124", "+14155550125"), ["reason"] = "hostile" };
                using var response = await SendJsonAsync(HttpMethod.Post, "/api/dnc", WithField(body, field, fragment));
                await ExpectDoNotCallAsync(response, $"dnc {field} = {name}", field);
            }
        }

        string[] ids = ["..", ".", "%2e%2e", "a/b", "a%2Fb", "a?b", "a#b", " ", "ü", "😀", new string('9', 5000), "%", "%zz", "\\", "+", "+1", "+14155550123 ", "0014155550123", "+014155550123"];
        foreach (var id in ids)
        {
            var escaped = Uri.EscapeDataString(id);
            foreach (var (method, url) in new[]
            {
                (HttpMethod.Get, $"/api/dnc/{escaped}"), (HttpMethod.Delete, $"/api/dnc/{escaped}"), (HttpMethod.Get, $"/api/dnc/{id}"),
                (HttpMethod.Delete, $"/api/dnc/+14155550123?campaign_id={escaped}"), (HttpMethod.Delete, $"/api/dnc/+14155550123?campaign_id={escaped}&campaign_id=x"),
            })
            {
                using var request = new HttpRequestMessage(method, url);
                using var response = await SendAsync(request);
                await ExpectAsync(response, $"{method} {url}", field: null, accepted: r => r.IsSuccessStatusCode);
            }
        }

        AssertNoServerErrors();
    }

    [Test]
    [Order(100)]
    public async Task Afterwards_RedisHoldsExactlyTheAcceptedCalls()
    {
        // Runs after the fixture's other tests have sent their requests: nothing half-written, nothing accepted lost.
        using var redis = await ConnectionMultiplexer.ConnectAsync(SharedRedis.Server.ConnectionString);
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        var prefix = "{" + App.KeyPrefix + "}:call:";
        var stored = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var key in server.KeysAsync(pattern: prefix + "*", pageSize: 1000))
        {
            stored.Add(key.ToString()[prefix.Length..]);
        }

        var counts = (await redis.GetDatabase().HashGetAllAsync("{" + App.KeyPrefix + "}:counts")).Sum(entry => (long)entry.Value);
        await TestContext.Out.WriteLineAsync($"{_requests} hostile requests: 5xx = {_serverErrors.Count}; {_accepted.Distinct().Count()} calls accepted, {stored.Count} stored");
        Assert.Multiple(() =>
        {
            Assert.That(stored, Is.Not.Empty, "calls were accepted and stored");
            Assert.That(stored, Is.EquivalentTo(_accepted.Distinct()), "Redis holds the accepted calls and nothing else");
            Assert.That(counts, Is.EqualTo(stored.Count), "the status counts agree with the records");
        });
    }

    private static readonly string[] QueueFields =
    [
        "phone_number", "campaign_id", "custom_call_id", "scheduled_at", "priority", "max_retries", "call_config",
        "call_config.flow_name", "call_config.answer_url", "call_config.answer_method", "call_config.variables",
        "call_config.variables.name", "call_config.voice", "call_config.max_duration", "call_config.recording_enabled",
        "call_config.ring_timeout", "call_config.retry_delay_seconds", "call_config.machine_detection", "unknown_field",
    ];

    /// <summary>Raw JSON fragments: each is put in place of one field's value, byte for byte.</summary>
    private static IEnumerable<(string Name, byte[] Fragment)> BadValues()
    {
        static byte[] Json(string raw) => Encoding.UTF8.GetBytes(raw);
        yield return ("null", Json("null"));
        yield return ("true", Json("true"));
        yield return ("zero", Json("0"));
        yield return ("-1", Json("-1"));
        yield return ("int max + 1", Json("2147483648"));
        yield return ("huge integer", Json("1" + new string('0', 400)));
        yield return ("fraction", Json("1.5"));
        yield return ("exponent", Json("1e400"));
        yield return ("array", Json("[1,\"a\"]"));
        yield return ("object", Json("{\"a\":1}"));
        yield return ("empty string", Json("\"\""));
        yield return ("blank", Json("\"   \""));
        yield return ("numeric string", Json("\"42\""));
        yield return ("NUL", Json("\"a\\u0000b\""));
        yield return ("control characters", Json("\"a\\u0007\\u001bb\\r\\n\""));
        yield return ("unpaired high surrogate", Json("\"\\ud800\""));
        yield return ("unpaired low surrogate", Json("\"x\\udc00\""));
        yield return ("reversed surrogates", Json("\"\\udc00\\ud800\""));
        yield return ("surrogate key", Json("{\"\\ud800\":1}"));
        yield return ("invalid UTF-8", [(byte)'"', 0xc3, 0x28, 0xff, (byte)'"']);
        yield return ("overlong UTF-8", [(byte)'"', 0xc0, 0xaf, (byte)'"']);
        yield return ("128 characters", Json("\"" + new string('a', 128) + "\""));
        yield return ("129 characters", Json("\"" + new string('a', 129) + "\""));
        yield return ("long string", Json("\"" + new string('x', 20_000) + "\""));
        yield return ("huge string", Json("\"" + new string('x', 70_000) + "\""));
        yield return ("deep array", Json(new string('[', 70) + new string(']', 70)));
        yield return ("deep object (storable depth + 1)", Json(string.Concat(Enumerable.Repeat("{\"a\":", 34)) + "1" + new string('}', 34)));
        yield return ("deep object (parser limit)", Json(string.Concat(Enumerable.Repeat("{\"a\":", 63)) + "1" + new string('}', 63)));
        yield return ("dot segment", Json("\"..\""));
        yield return ("slash", Json("\"a/b\""));
        yield return ("query and fragment", Json("\"a?b#c\""));
        yield return ("right-to-left override", Json("\"\\u202eabc\""));
        yield return ("emoji", Json("\"😀\""));
        yield return ("bad date", Json("\"2030-13-45T25:61:00Z\""));
        yield return ("far future", Json("\"9999-12-31T23:59:59Z\""));
        yield return ("javascript url", Json("\"javascript:alert(1)\""));
        yield return ("number +1", Json("\"+1\""));
    }

    private static bool ParsesAsJson(byte[] fragment)
    {
        try
        {
            using var document = JsonDocument.Parse(fragment);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static IEnumerable<string> HeaderValues() =>
    [
        "x/y?z#w", "..", ".", "a b", new string('k', 128), new string('k', 129), "%2F", "{tag}", "\t", string.Empty,
    ];

    private static bool IsAccepted(HttpResponseMessage response) => response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK;

    private static JsonObject ValidCall() => new()
    {
        ["phone_number"] = "+14155550123",
        ["campaign_id"] = "hostile",
        ["call_config"] = new JsonObject
        {
            ["answer_url"] = "https://agent.example.com/answer",
            ["variables"] = new JsonObject { ["name"] = "Asha" },
        },
    };

    /// <summary>The object as JSON with <paramref name="path"/> (<c>call_config.voice</c>, <c>calls[1].priority</c>) set to the raw fragment.</summary>
    private static byte[] WithField(JsonObject root, string path, byte[] fragment)
    {
        JsonNode node = root;
        var segments = path.Split('.');
        for (var i = 0; i < segments.Length - 1; i++)
        {
            node = Step(node, segments[i]);
        }

        var last = segments[^1];
        if (last.EndsWith(']'))
        {
            var open = last.IndexOf('[', StringComparison.Ordinal);
            var array = (JsonArray)Step(node, last[..open]);
            array[int.Parse(last[(open + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)] = Sentinel;
        }
        else
        {
            ((JsonObject)node)[last] = Sentinel;
        }

        var json = Encoding.UTF8.GetBytes(root.ToJsonString());
        var marker = Encoding.UTF8.GetBytes("\"" + Sentinel + "\"");
        var at = json.AsSpan().IndexOf(marker);
        return [.. json.AsSpan(0, at), .. fragment, .. json.AsSpan(at + marker.Length)];
    }

    private static JsonNode Step(JsonNode node, string segment)
    {
        var open = segment.IndexOf('[', StringComparison.Ordinal);
        if (open < 0)
        {
            var child = ((JsonObject)node)[segment];
            if (child is null)
            {
                child = new JsonObject();
                ((JsonObject)node)[segment] = child;
            }

            return child;
        }

        var array = (JsonArray)((JsonObject)node)[segment[..open]]!;
        return array[int.Parse(segment[(open + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)]!;
    }

    private static ByteArrayContent JsonContent(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private Task<HttpResponseMessage> SendJsonAsync(HttpMethod method, string path, byte[] body) =>
        SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent(body) });

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        _requests++;

        // As careful clients do for large bodies: an endpoint refusing the size answers before the body is sent. On a
        // client of its own, since the server closes a connection whose body it did not read.
        if (request.Content is { Headers.ContentLength: > 32 * 1024 })
        {
            request.Headers.ExpectContinue = true;
            using var own = App.Client();
            return await own.SendAsync(request);
        }

        return await Client.SendAsync(request);
    }

    private async Task<string> QueueOneAsync()
    {
        using var response = await SendJsonAsync(HttpMethod.Post, "/api/calls/queue", Encoding.UTF8.GetBytes(ValidCall().ToJsonString()));
        var callId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("call_id").GetString()!;
        _accepted.Add(callId);
        return callId;
    }

    /// <summary>
    /// A 5xx is recorded (and fails the test at its end, with every case listed); a 4xx must be problem details naming
    /// <paramref name="field"/> when one is given; an accepted call is remembered and must read back by its id.
    /// </summary>
    private async Task ExpectAsync(HttpResponseMessage response, string what, string? field, Func<HttpResponseMessage, bool> accepted)
    {
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            _serverErrors.Add($"{what} → {status}: {await response.Content.ReadAsStringAsync()}");
            return;
        }

        var text = await response.Content.ReadAsStringAsync();
        if (accepted(response))
        {
            if (response.StatusCode == HttpStatusCode.Accepted && JsonDocument.Parse(text).RootElement.TryGetProperty("call_id", out var id))
            {
                await AssertReadsBackAsync(id.GetString()!, response.Headers.Location, what);
            }

            return;
        }

        Assert.That(status, Is.InRange(400, 499), what);
        if (text.Length == 0)
        {
            Assert.That(status, Is.EqualTo(404).Or.EqualTo(405), $"{what}: a refusal with a body of problem details");
            return;
        }

        if (what.StartsWith("/sandbox/", StringComparison.Ordinal))
        {
            return; // the Plivo simulator answers in Plivo's own error format, {"error": "..."}
        }

        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), $"{what}: {text}");
        Assert.That(text, Does.Not.Contain("System.").And.Not.Contain("CallQueue.").And.Not.Contain("   at "), $"{what}: no .NET internals in the answer: {text}");
        if (field is not null && status == 400)
        {
            var problem = JsonDocument.Parse(text).RootElement;
            var named = problem.TryGetProperty("errors", out var errors)
                && errors.EnumerateObject().Any(error => Names(error.Name, field));
            Assert.That(named, Is.True, $"{what}: the problem names {field}: {text}");
        }
    }

    private async Task ExpectBulkAsync(HttpResponseMessage response, string what, string field)
    {
        if ((int)response.StatusCode >= 500)
        {
            _serverErrors.Add($"{what} → {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            return;
        }

        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            await ExpectAsync(response, what, field, accepted: _ => false);
            return;
        }

        var batch = JsonDocument.Parse(text).RootElement;
        var batchId = batch.GetProperty("batch_id").GetString()!;
        using (var read = await Client.GetAsync(new Uri($"/api/batches/{Uri.EscapeDataString(batchId)}", UriKind.Relative)))
        {
            Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{what}: batch {batchId} reads back");
        }

        foreach (var item in batch.GetProperty("results").EnumerateArray())
        {
            var status = item.GetProperty("status").GetString();
            if (status is "queued" or "duplicate")
            {
                await AssertReadsBackAsync(item.GetProperty("call_id").GetString()!, location: null, what);
            }
            else
            {
                var named = item.TryGetProperty("errors", out var errors) && errors.EnumerateObject().Any(error => Names(error.Name, field));
                Assert.That(named, Is.True, $"{what}: the rejected item names {field}: {item}");
            }
        }
    }

    /// <summary>A POST /api/dnc answer: a 200 names a bad number by its index among the rejected; a refusal names the field.</summary>
    private async Task ExpectDoNotCallAsync(HttpResponseMessage response, string what, string field)
    {
        if (response.StatusCode != HttpStatusCode.OK)
        {
            await ExpectAsync(response, what, field, accepted: _ => false);
            return;
        }

        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var rejected = body.GetProperty("rejected").EnumerateArray().ToList();
        var counted = body.GetProperty("added").GetInt32() + body.GetProperty("already_listed").GetInt32() + rejected.Count;
        Assert.That(counted, field == "phone_numbers" ? Is.Positive : Is.EqualTo(3), $"{what}: every number is counted once: {body}");
        if (field.StartsWith("phone_numbers[", StringComparison.Ordinal))
        {
            var named = rejected.Any(item => item.GetProperty("index").GetInt32() == 1
                && item.GetProperty("errors").EnumerateObject().Any(error => Names(error.Name, field)));
            Assert.That(named, Is.True, $"{what}: the rejected number names {field}: {body}");
        }
    }

    private async Task AssertReadsBackAsync(string callId, Uri? location, string what)
    {
        _accepted.Add(callId);
        foreach (var url in new[] { location?.ToString(), $"/api/calls/{Uri.EscapeDataString(callId)}", $"/api/calls/{Uri.EscapeDataString(callId)}/status" })
        {
            if (url is null)
            {
                continue;
            }

            using var read = await Client.GetAsync(new Uri(url, UriKind.Relative));
            Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{what}: accepted call {callId} reads back at {url}");
        }

        var call = await Client.GetFromJsonAsync<JsonElement>(new Uri($"/api/calls/{Uri.EscapeDataString(callId)}", UriKind.Relative));
        var campaign = call.GetProperty("campaign_id").GetString()!;
        var page = await Client.GetFromJsonAsync<JsonElement>(new Uri($"/api/campaigns/{Uri.EscapeDataString(campaign)}/calls?limit=500", UriKind.Relative));
        Assert.That(page.GetProperty("calls").EnumerateArray().Any(c => c.GetProperty("call_id").GetString() == callId) || page.GetProperty("next_cursor").ValueKind == JsonValueKind.String,
            Is.True, $"{what}: call {callId} is listed under its campaign '{campaign}'");
    }

    /// <summary>An error key names the field: <c>call_config.variables</c> for <c>call_config.variables.name</c>, or the other way round.</summary>
    private static bool Names(string errorKey, string field)
    {
        var key = errorKey.Replace("$.", string.Empty, StringComparison.Ordinal);
        return key == field
            || key.StartsWith(field + ".", StringComparison.Ordinal) || key.StartsWith(field + "[", StringComparison.Ordinal)
            || field.StartsWith(key + ".", StringComparison.Ordinal)
            || (field.StartsWith("calls[", StringComparison.Ordinal) && key == field.Split('.')[0])
            || (field == "unknown_field" && key == "body");
    }

    private static string Printable(string value) => value.Length > 40 ? value[..40] + "…" : value;

    private void AssertNoServerErrors() =>
        Assert.That(_serverErrors, Is.Empty, $"no request gets a 5xx ({_serverErrors.Count} did):\n" + string.Join('\n', _serverErrors.Take(20)));
}
