using System.Text.Json;

namespace CallQueue.Jobs.Agent;

/// <summary>
/// The body of POST {AGENT_SERVER_URL}/start-call (seed protocol, DESIGN.md §5), in snake_case. Every field is always
/// present (null when unknown), so an agent can read them without guessing.
/// </summary>
/// <param name="CallId">Our call id, to quote in POST /api/calls/results.</param>
/// <param name="PlivoCallUuid">Plivo's request_uuid of the attempt: the agent matches it against Plivo's answer_url request.</param>
/// <param name="PhoneNumber">The callee, E.164.</param>
/// <param name="CampaignId">The call's campaign.</param>
/// <param name="FlowName">call_config.flow_name; null when not given.</param>
/// <param name="Variables">call_config.variables as queued; <c>{}</c> when none were given.</param>
/// <param name="Config">call_config as stored (snake_case, unset fields left out).</param>
/// <param name="Attempt">Which dial attempt of the call this is, from 1.</param>
public sealed record StartCallRequest(
    string CallId,
    string PlivoCallUuid,
    string PhoneNumber,
    string CampaignId,
    string? FlowName,
    JsonElement Variables,
    JsonElement Config,
    int Attempt);
