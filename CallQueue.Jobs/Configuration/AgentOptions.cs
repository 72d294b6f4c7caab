using Microsoft.Extensions.Configuration;

namespace CallQueue.Jobs.Configuration;

/// <summary>The voice-AI agent server answered calls are handed to (seed protocol).</summary>
public sealed class AgentOptions
{
    /// <summary>AGENT_SERVER_URL, e.g. http://localhost:8765. Empty: no agent gate and no /start-call notifications (development only).</summary>
    [ConfigurationKeyName("AGENT_SERVER_URL")]
    public string? ServerUrl { get; set => field = OptionsText.Normalize(value); }

    /// <summary>AGENT_HEALTH_INTERVAL_SECONDS: how often {AGENT_SERVER_URL}/health is checked; dialing pauses while it fails. Default 5 s.</summary>
    [ConfigurationKeyName("AGENT_HEALTH_INTERVAL_SECONDS")]
    public int HealthIntervalSeconds { get; set; } = 5;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ServerUrl);
}
