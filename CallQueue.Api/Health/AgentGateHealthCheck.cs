using System.Globalization;
using CallQueue.Jobs.Configuration;
using CallQueue.Jobs.Throttling;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CallQueue.Api.Health;

/// <summary>
/// The agent server as the agent gate last saw it (it polls GET {AGENT_SERVER_URL}/health every
/// AGENT_HEALTH_INTERVAL_SECONDS): degraded while the gate is closed, since dialing is paused. The check never asks the
/// agent itself; right after start it waits (briefly) for the gate's first answer instead.
/// </summary>
internal sealed class AgentGateHealthCheck(AgentGate gate, IOptions<AgentOptions> options, TimeProvider time) : IHealthCheck
{
    private static readonly TimeSpan FirstCheckWait = TimeSpan.FromSeconds(4);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var agent = options.Value;
        if (!agent.IsConfigured)
        {
            return HealthResults.Healthy("not configured: answered calls are not handed to an agent server", warning:
                "AGENT_SERVER_URL is not set: no agent gate and no /start-call notifications");
        }

        await gate.WaitForFirstCheckAsync(FirstCheckWait, cancellationToken);
        var state = gate.State;
        var url = agent.ServerUrl!.TrimEnd('/') + "/health";
        if (!state.IsOpen)
        {
            return HealthResults.Degraded(state.Reason ?? $"Agent server unreachable: {url}");
        }

        return state.LastCheckedAt is { } checkedAt
            ? HealthResults.Healthy(string.Create(
                CultureInfo.InvariantCulture, $"{url} healthy (checked {(time.GetUtcNow() - checkedAt).TotalSeconds:0} s ago by the agent gate)"))
            : HealthResults.Healthy($"{url} not checked yet: the agent gate is starting");
    }
}
