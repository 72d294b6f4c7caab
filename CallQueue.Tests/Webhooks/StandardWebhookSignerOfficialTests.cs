using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using CallQueue.Jobs.Webhooks;
using CallQueue.Tests.Deploy;

namespace CallQueue.Tests.Webhooks;

/// <summary>
/// Our signer against the official Standard Webhooks implementation (the npm package <c>standardwebhooks</c>, pinned in
/// tools/standardwebhooks/package.json and installed by run-tests.sh), run under node by tools/standardwebhooks/check.js:
/// each verifies what the other signs, and neither accepts a forged secret. Fails (never skips) when node or the
/// package is missing, saying how to install them.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class StandardWebhookSignerOfficialTests
{
    private const string Install = "run ./run-tests.sh (it installs both), or by hand: apt-get install nodejs npm && npm ci --prefix tools/standardwebhooks";

    private static readonly string Tool = RepositoryPaths.File("tools", "standardwebhooks");

    private const string Body = """{"type":"call.completed","timestamp":"2026-03-01T12:00:00Z","data":{"call_id":"call_1","note":"naïve ☎ \"quoted\""}}""";

    [Test]
    public async Task Official_SignsTheSpecTestVectorAsWeDo()
    {
        var results = await RunAsync(Sign(StandardWebhookSignerTests.SpecSecret, StandardWebhookSignerTests.SpecId, StandardWebhookSignerTests.SpecTimestamp, StandardWebhookSignerTests.SpecPayload));

        Assert.That(results[0]!["signature"]!.GetValue<string>(), Is.EqualTo(StandardWebhookSignerTests.SpecSignature));
    }

    [Test]
    public async Task Official_VerifiesOurSignature_AndRefusesItUnderAForgedSecret()
    {
        var secret = WebhookSecret.Generate();
        var forged = WebhookSecret.Generate();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var signature = StandardWebhookSigner.Sign("evt_0123456789abcdef", now, Body, [WebhookSecret.Parse(secret)]);

        var results = await RunAsync(
            Verify(secret, "evt_0123456789abcdef", now, Body, signature),
            Verify(forged, "evt_0123456789abcdef", now, Body, signature));

        Assert.Multiple(() =>
        {
            Assert.That(results[0]!["ok"]!.GetValue<bool>(), Is.True, results[0]!.ToJsonString());
            Assert.That(results[1]!["ok"]!.GetValue<bool>(), Is.False, "the official verifier accepted a signature made with another secret");
        });
    }

    [Test]
    public async Task Official_VerifiesOurRotationHeaderWithEitherSecret()
    {
        var oldSecret = WebhookSecret.Generate();
        var newSecret = WebhookSecret.Generate();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = StandardWebhookSigner.Sign("evt_rotation", now, Body, [WebhookSecret.Parse(oldSecret), WebhookSecret.Parse(newSecret)]);

        var results = await RunAsync(Verify(oldSecret, "evt_rotation", now, Body, header), Verify(newSecret, "evt_rotation", now, Body, header));

        Assert.That(results.Select(result => result!["ok"]!.GetValue<bool>()), Is.EqualTo(new[] { true, true }));
    }

    [Test]
    public async Task We_VerifyTheOfficialSignature_AndRefuseItUnderAForgedSecret()
    {
        var secret = WebhookSecret.Generate();
        var now = DateTimeOffset.UtcNow;
        var results = await RunAsync(Sign(secret, "msg_from_official", now.ToUnixTimeSeconds(), Body));
        var signature = results[0]!["signature"]!.GetValue<string>();
        var timestamp = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        Assert.Multiple(() =>
        {
            Assert.That(StandardWebhookSigner.Verify("msg_from_official", timestamp, Body, signature, [WebhookSecret.Parse(secret)], now), Is.True);
            Assert.That(
                StandardWebhookSigner.Verify("msg_from_official", timestamp, Body, signature, [WebhookSecret.Parse(WebhookSecret.Generate())], now),
                Is.False,
                "we accepted a signature made with another secret");
        });
    }

    private static JsonObject Sign(string secret, string id, long timestamp, string body) =>
        new() { ["op"] = "sign", ["secret"] = secret, ["id"] = id, ["timestamp"] = timestamp, ["body"] = body };

    private static JsonObject Verify(string secret, string id, long timestamp, string body, string signature) =>
        new() { ["op"] = "verify", ["secret"] = secret, ["id"] = id, ["timestamp"] = timestamp, ["body"] = body, ["signature"] = signature };

    private static async Task<JsonArray> RunAsync(params JsonObject[] operations)
    {
        if (!File.Exists(Path.Combine(Tool, "node_modules", "standardwebhooks", "package.json")))
        {
            Assert.Fail($"The official Standard Webhooks package is not installed in {Tool}/node_modules: {Install}.");
        }

        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Tool,
            ArgumentList = { Path.Combine(Tool, "check.js") },
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            Assert.Fail($"node not found ({exception.Message}): {Install}.");
            throw;
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.StandardInput.WriteAsync(new JsonArray(operations).ToJsonString());
            process.StandardInput.Close();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            if (process.ExitCode != 0)
            {
                Assert.Fail($"tools/standardwebhooks/check.js failed (exit code {process.ExitCode}):\n{await error}");
            }

            return JsonNode.Parse(await output) as JsonArray ?? throw new JsonException("check.js did not answer a JSON array");
        }
    }
}
