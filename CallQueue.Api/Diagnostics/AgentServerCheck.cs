using System.Diagnostics;
using System.Globalization;
using CallQueue.Jobs.Configuration;

namespace CallQueue.Api.Diagnostics;

/// <summary>GET {AGENT_SERVER_URL}/health, the probe the service's agent gate uses before it dials.</summary>
internal static class AgentServerCheck
{
    public const string Name = "agent server";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(CheckContext context, CheckReport report, CancellationToken cancellationToken)
    {
        var agent = context.Agent;
        if (agent is null)
        {
            var failure = context.FirstFailureOf<AgentOptions>() ?? "the agent settings cannot be read (see above)";
            report.Add(CheckResult.Fail(Name, "not checked: " + failure, CheckFixes.Agent(null)));
            return;
        }

        if (!agent.IsConfigured)
        {
            report.Add(CheckResult.Warn(
                Name,
                "AGENT_SERVER_URL not set: no agent gate and no /start-call notifications (development only; Production requires it)",
                CheckFixes.Agent(null)));
            return;
        }

        var baseUrl = Redact(agent.ServerUrl!.TrimEnd('/'));
        var health = agent.ServerUrl!.TrimEnd('/') + "/health";
        using var client = new HttpClient { Timeout = Timeout };
        try
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(new Uri(health), cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (response.IsSuccessStatusCode)
            {
                context.AgentReachable = true;
                report.Add(CheckResult.Pass(Name, string.Create(
                    CultureInfo.InvariantCulture, $"{baseUrl}/health answered {(int)response.StatusCode} in {elapsed.TotalMilliseconds:0.0} ms")));
                return;
            }

            report.Add(CheckResult.Fail(
                Name,
                string.Create(CultureInfo.InvariantCulture, $"Agent server unreachable: {baseUrl}/health answered {(int)response.StatusCode} {response.ReasonPhrase}"),
                CheckFixes.Agent(baseUrl)));
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var reason = ex is TaskCanceledException ? $"no answer within {Timeout.TotalSeconds:0} s" : ex.Message;
            report.Add(CheckResult.Fail(Name, $"Agent server unreachable: {baseUrl}/health ({reason})", CheckFixes.Agent(baseUrl)));
        }
    }

    /// <summary>The URL without user:password, should it carry any.</summary>
    internal static string Redact(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.UserInfo)
            ? url.Replace(uri.UserInfo + "@", "***@", StringComparison.Ordinal)
            : url;
}
