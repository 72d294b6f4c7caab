using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CallQueue.Tests.Support;

namespace CallQueue.Tests.DoNotCall;

/// <summary>POST/GET/DELETE /api/dnc over real HTTP against a real redis-server, workers off.</summary>
[TestFixture]
public sealed class DoNotCallApiTests : WorkersOffApiFixture
{
    [Test]
    public async Task Post_GoodBadAndListedNumbers_ListsTheGoodOnesAndNamesEachBadOneByIndex()
    {
        (await PostAsync("""{ "phone_numbers": ["+14155550140"] }""")).Dispose();

        using var response = await PostAsync("""
            { "phone_numbers": ["+14155550141", "+14155550140", "9876543210", 42, null, "+15555555555", "+14155550141"], "reason": " asked on the phone " }
            """);

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var rejected = body.GetProperty("rejected").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToString());
            Assert.That(body.GetProperty("added").GetInt32(), Is.EqualTo(1));
            Assert.That(body.GetProperty("already_listed").GetInt32(), Is.EqualTo(2), "listed before, and the repeat within the request");
            Assert.That(rejected.Select(r => r.GetProperty("index").GetInt32()), Is.EqualTo(new[] { 2, 3, 4, 5 }));
            Assert.That(rejected[0].GetProperty("phone_number").GetString(), Is.EqualTo("9876543210"));
            Assert.That(rejected[0].GetProperty("errors").GetProperty("phone_numbers[2]")[0].GetString(), Does.Contain("E.164"));
            Assert.That(rejected[1].GetProperty("errors").GetProperty("phone_numbers[3]")[0].GetString(), Does.Contain("must be a string"));
            Assert.That(rejected[2].GetProperty("errors").GetProperty("phone_numbers[4]")[0].GetString(), Does.Contain("is required"));
            Assert.That(rejected[3].GetProperty("errors").GetProperty("phone_numbers[5]")[0].GetString(), Does.Contain("not a valid phone number"));
        });
    }

    [Test]
    public async Task Get_ListedGloballyAndForACampaign_Returns200WithEveryEntry()
    {
        (await PostAsync("""{ "phone_numbers": ["+14155550142"], "reason": "complaint" }""")).Dispose();
        (await PostAsync("""{ "phone_numbers": ["+14155550142"], "campaign_id": "spring sale" }""")).Dispose();

        var body = await Client.GetFromJsonAsync<JsonElement>(new Uri("/api/dnc/+14155550142", UriKind.Relative));

        var entries = body.GetProperty("entries").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("phone_number").GetString(), Is.EqualTo("+14155550142"));
            Assert.That(entries, Has.Count.EqualTo(2));
            Assert.That(entries[0].GetProperty("scope").GetString(), Is.EqualTo("global"));
            Assert.That(entries[0].GetProperty("reason").GetString(), Is.EqualTo("complaint"));
            Assert.That(entries[0].GetProperty("source").GetString(), Is.EqualTo("api"));
            Assert.That(entries[0].GetProperty("added_at").GetDateTimeOffset(), Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(1)));
            Assert.That(entries[1].GetProperty("scope").GetString(), Is.EqualTo("campaign"));
            Assert.That(entries[1].GetProperty("campaign_id").GetString(), Is.EqualTo("spring sale"));
        });
    }

    [Test]
    public async Task Get_EscapedPlus_FindsTheNumber()
    {
        (await PostAsync("""{ "phone_numbers": ["+14155550143"] }""")).Dispose();

        using var response = await Client.GetAsync(new Uri("/api/dnc/%2B14155550143", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Get_UnlistedNumber_Returns404ProblemWithTheNumberMasked()
    {
        using var response = await Client.GetAsync(new Uri("/api/dnc/+14155550144", UriKind.Relative));

        var text = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(text, Does.Not.Contain("4155550144"));
        });
    }

    [TestCase("14155550144")]
    [TestCase("+1 415 555 0144")]
    [TestCase("+15555555555")]
    public async Task Get_NotAValidNumber_Returns400NamingPhoneNumber(string number)
    {
        using var response = await Client.GetAsync(new Uri("/api/dnc/" + Uri.EscapeDataString(number), UriKind.Relative));

        await AssertFieldProblemAsync(response, "phone_number");
    }

    [Test]
    public async Task Delete_ByScope_Returns204ThenNotFound()
    {
        (await PostAsync("""{ "phone_numbers": ["+14155550145"] }""")).Dispose();
        (await PostAsync("""{ "phone_numbers": ["+14155550145"], "campaign_id": "c-1" }""")).Dispose();

        using var campaign = await Client.DeleteAsync(new Uri("/api/dnc/+14155550145?campaign_id=c-1", UriKind.Relative));
        using var campaignAgain = await Client.DeleteAsync(new Uri("/api/dnc/+14155550145?campaign_id=c-1", UriKind.Relative));
        var left = await Client.GetFromJsonAsync<JsonElement>(new Uri("/api/dnc/+14155550145", UriKind.Relative));
        using var global = await Client.DeleteAsync(new Uri("/api/dnc/+14155550145", UriKind.Relative));
        using var gone = await Client.GetAsync(new Uri("/api/dnc/+14155550145", UriKind.Relative));

        Assert.Multiple(() =>
        {
            Assert.That(campaign.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(campaignAgain.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(left.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("scope").GetString()), Is.EqualTo(new[] { "global" }));
            Assert.That(global.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(gone.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task Delete_BadCampaignId_Returns400NamingIt()
    {
        using var response = await Client.DeleteAsync(new Uri("/api/dnc/+14155550146?campaign_id=%2E%2E", UriKind.Relative));

        await AssertFieldProblemAsync(response, "campaign_id");
    }

    [TestCase("""{ }""", "phone_numbers")]
    [TestCase("""{ "phone_numbers": [] }""", "phone_numbers")]
    [TestCase("""{ "phone_numbers": "+14155550147" }""", "phone_numbers")]
    [TestCase("""{ "phone_numbers": ["+14155550147"], "campaign_id": "a/b" }""", "campaign_id")]
    [TestCase("""{ "phone_numbers": ["+14155550147"], "campaign_id": 7 }""", "campaign_id")]
    [TestCase("""{ "phone_numbers": ["+14155550147"], "reason": "a\u0007b" }""", "reason")]
    public async Task Post_BadEnvelope_Returns400NamingTheField(string body, string field)
    {
        using var response = await PostAsync(body);

        await AssertFieldProblemAsync(response, field);
        Assert.That((await Client.GetAsync(new Uri("/api/dnc/+14155550147", UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "nothing listed");
    }

    [Test]
    public async Task Post_MaximumNumbers_ListsThemAllAndOneMoreIsRefused()
    {
        var numbers = Enumerable.Range(0, 100_000).Select(i => "+9198" + i.ToString("D8", CultureInfo.InvariantCulture)).ToList();
        var body = new JsonObject { ["phone_numbers"] = new JsonArray(numbers.Select(n => (JsonNode)n).ToArray()) };

        using var response = await PostAsync(body.ToJsonString());
        ((JsonArray)body["phone_numbers"]!).Add("+919900000000");
        using var tooMany = await PostAsync(body.ToJsonString());

        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), result.ToString());
        Assert.That(result.GetProperty("added").GetInt32(), Is.EqualTo(100_000));
        await AssertFieldProblemAsync(tooMany, "phone_numbers");
        using var last = await Client.GetAsync(new Uri("/api/dnc/" + numbers[^1], UriKind.Relative));
        Assert.That(last.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private async Task<HttpResponseMessage> PostAsync(string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        return await Client.PostAsync(new Uri("/api/dnc", UriKind.Relative), content);
    }

    private static async Task AssertFieldProblemAsync(HttpResponseMessage response, string field)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), problem.ToString());
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(problem.GetProperty("errors").TryGetProperty(field, out _), Is.True, $"names {field}: {problem}");
        });
    }
}
