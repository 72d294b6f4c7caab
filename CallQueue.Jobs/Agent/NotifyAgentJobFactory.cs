using CallQueue.Jobs.Configuration;
using Hangfire;
using Microsoft.Extensions.Options;

namespace CallQueue.Jobs.Agent;

/// <summary>
/// Creates the <see cref="NotifyAgentJob"/> of a placed attempt, or nothing at all without AGENT_SERVER_URL (so a
/// development or sandbox run does not fill the internal queue with jobs that would do nothing).
/// </summary>
public sealed class NotifyAgentJobFactory(IBackgroundJobClient jobs, IOptions<AgentOptions> options)
{
    /// <summary>Call after the attempt's request_uuid is stored. Returns the job id, or null when no agent server is set.</summary>
    public string? Create(string callId, int attempt) =>
        options.Value.IsConfigured ? NotifyAgentJob.EnqueueFor(jobs, callId, attempt) : null;
}
