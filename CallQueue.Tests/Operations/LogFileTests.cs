using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CallQueue.Tests.Support;

namespace CallQueue.Tests.Operations;

[TestFixture]
[Category("Integration")]
public sealed partial class LogFileTests
{
    private const string AuthId = "MAOPSTEST0000000000A";
    private const string AuthToken = "tok-SECRET-plivo-7f3a9c";
    private const string ApiKey = "key-SECRET-api-51d2e8";
    private const string WrongApiKey = "key-WRONG-api-77c1f0";
    private const string WrongDashboardPassword = "pw-WRONG-dash-93ab11";
    private const string DashboardPassword = "pw-SECRET-dash-c0ffee";
    private static readonly string[] Numbers = ["+919123456789", "+14155550123", "+442071838750"];

    [Test]
    public async Task LogFile_CallsThroughTheSandbox_HasCallIdsAndNoSecretsOrNumbers()
    {
        var directory = Directory.CreateTempSubdirectory("callqueue-log-");
        var logFile = Path.Combine(directory.FullName, "queue_system.log");
        try
        {
            var callIds = new List<string>();
            await using (var process = await CallQueueProcess.StartAsync(new Dictionary<string, string?>
            {
                ["LOG_FILE"] = logFile,
                ["LOG_LEVEL"] = "TRACE",
                ["Logging__LogLevel__System.Net.Http.HttpClient"] = "Trace", // header logging on: its values must still not leak
                ["REDIS_URL"] = string.Empty,
                ["PLIVO_MODE"] = "sandbox",
                ["PLIVO_AUTH_ID"] = AuthId,
                ["PLIVO_AUTH_TOKEN"] = AuthToken,
                ["API_KEYS"] = ApiKey,
                ["DASHBOARD_USERNAME"] = "operator",
                ["DASHBOARD_PASSWORD"] = DashboardPassword,
                ["AGENT_SERVER_URL"] = string.Empty,
                ["SANDBOX_RING_SECONDS"] = "0",
                ["SANDBOX_TALK_SECONDS"] = "1",
                ["SANDBOX_ANSWER_RATIO"] = "1",
                ["SANDBOX_BUSY_RATIO"] = "0",
                ["SANDBOX_NO_ANSWER_RATIO"] = "0",
            }))
            {
                using var client = new HttpClient { BaseAddress = process.BaseAddress };
                client.DefaultRequestHeaders.Add("X-API-Key", ApiKey);
                foreach (var number in Numbers)
                {
                    using var response = await client.PostAsJsonAsync("/api/calls/queue", new
                    {
                        phone_number = number,
                        campaign_id = "ops-log",
                        call_config = new { answer_url = "https://agent.example.com/answer" },
                    });
                    Assert.That((int)response.StatusCode, Is.EqualTo(202), await response.Content.ReadAsStringAsync());
                    using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                    callIds.Add(body.RootElement.GetProperty("call_id").GetString()!);
                }

                foreach (var callId in callIds)
                {
                    await WaitForStatusAsync(client, callId, "completed");
                }

                // Refused credentials are logged, never the secret presented.
                using var plain = new HttpClient { BaseAddress = process.BaseAddress };
                using (var wrongKey = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/queue/status", UriKind.Relative)))
                {
                    wrongKey.Headers.Add("X-API-Key", WrongApiKey);
                    using var refused = await plain.SendAsync(wrongKey);
                    Assert.That((int)refused.StatusCode, Is.EqualTo(401));
                }

                using (var wrongPassword = new HttpRequestMessage(HttpMethod.Get, new Uri("/hangfire", UriKind.Relative)))
                {
                    wrongPassword.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
                        "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("operator:" + WrongDashboardPassword)));
                    using var refused = await plain.SendAsync(wrongPassword);
                    Assert.That((int)refused.StatusCode, Is.EqualTo(401));
                }

                Assert.That(await process.StopAsync(), Is.Zero, process.Output);
            }

            Assert.That(File.Exists(logFile), Is.True);
            var text = await File.ReadAllTextAsync(logFile);
            Assert.Multiple(() =>
            {
                foreach (var callId in callIds)
                {
                    Assert.That(text, Does.Contain(callId), "every call is in the log");
                }

                Assert.That(text, Does.Contain("RequestId"), "lines logged while handling a request carry its id");
                Assert.That(text, Does.Contain("\"ApiClient\":\"key-1\""), "and the name of the API key that let it in");
                Assert.That(text, Does.Contain("Authorization: *"), "header logging ran (and masked the value in its message)");
                Assert.That(text, Does.Not.Contain(AuthToken));
                Assert.That(text, Does.Not.Contain(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AuthId}:{AuthToken}"))), "Basic auth header");
                Assert.That(text, Does.Not.Contain(ApiKey));
                Assert.That(text, Does.Not.Contain(DashboardPassword));
                Assert.That(text, Does.Contain("refused: unknown_key").And.Contain("refused by the dashboard: wrong_credentials"));
                Assert.That(text, Does.Not.Contain(WrongApiKey).And.Not.Contain(WrongDashboardPassword), "refused secrets are not logged either");
                Assert.That(PhoneNumber().Matches(text).Select(m => m.Value), Is.Empty, "phone numbers are masked");
                foreach (var number in Numbers)
                {
                    Assert.That(text, Does.Not.Contain(number.TrimStart('+')), "phone numbers are masked");
                }
            });
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task WaitForStatusAsync(HttpClient client, string callId, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var last = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            last = await client.GetStringAsync(new Uri($"/api/calls/{callId}", UriKind.Relative));
            using var call = JsonDocument.Parse(last);
            if (call.RootElement.GetProperty("status").GetString() == status)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"{callId} is not {status}: {last}");
    }

    [GeneratedRegex(@"\+\d{8,15}")]
    private static partial Regex PhoneNumber();
}
