using Microsoft.Extensions.Configuration;

namespace CallQueue.Jobs.Configuration;

/// <summary>The voice-AI agent server answered calls are handed to (seed protocol).</summary>
public sealed class AgentOptions
{
    /// <summary>AGENT_SERVER_URL, e.g. http://localhost:8765. Empty: no agent gate and no /start-call notifications (development only).</summary>
    [ConfigurationKeyName("AGENT_SERVER_URL")]
    public string? ServerUrl { get; set => field = OptionsText.Normalize(value); }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ServerUrl);
}
