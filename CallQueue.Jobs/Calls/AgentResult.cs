using System.Text.Json;

namespace CallQueue.Jobs.Calls;

/// <summary>The agent server's end-of-call result (seed protocol: POST /api/calls/results); the last one posted wins.</summary>
public sealed record AgentResult
{
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The agent's own verdict, e.g. <c>interested</c> or <c>callback_requested</c>; free text.</summary>
    public string? CallOutcome { get; init; }

    public double? DurationSeconds { get; init; }

    /// <summary>As the agent sent it: a string, or a list of turns.</summary>
    public JsonElement? Transcript { get; init; }

    public string? RecordingUrl { get; init; }

    /// <summary>The whole JSON object the agent posted, fields we do not know included.</summary>
    public required JsonElement Raw { get; init; }
}
