using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Webhooks;

/// <summary>
/// Which events a change of a call causes (issue 13), decided from the record before and after, so every writer's change
/// is covered and the call store can record them in the same atomic write: <c>call.attempt_ended</c> for each attempt
/// that got its outcome, and one terminal event when the call becomes terminal (<c>call.completed</c>, <c>failed</c>,
/// <c>cancelled</c>, <c>unknown</c>, <c>expired</c>, <c>blocked</c>). Each event carries the call as
/// <c>GET /api/calls/{id}</c> shows it plus its <c>sequence</c> (the call's <see cref="CallRecord.EventSequence"/>,
/// counted up in the returned record). Nothing when webhooks are off for the call (<paramref name="destination"/> null).
/// </summary>
/// <param name="destination">The URL a call's events go to (its call_config.webhook_url, else BACKEND_URL), or null.</param>
public sealed class CallWebhookEvents(Func<CallRecord, string?> destination)
{
    /// <summary>No events for anyone (webhooks off).</summary>
    public static CallWebhookEvents None { get; } = new(_ => null);

    /// <summary>False for <see cref="None"/>: no change causes an event.</summary>
    public bool IsOn => !ReferenceEquals(this, None);

    /// <summary>
    /// The deterministic id of a call's event (<c>evt_</c> and 32 hex digits of SHA-256 of call id and sequence): the same
    /// on every try and redelivery, and never a <c>.</c>, which the signed content <c>{id}.{timestamp}.{body}</c> forbids.
    /// </summary>
    public static string EventId(string callId, long sequence)
    {
        ArgumentNullException.ThrowIfNull(callId);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(FormattableString.Invariant($"{callId}\n{sequence}")));
        return "evt_" + Convert.ToHexStringLower(hash)[..32];
    }

    /// <summary>
    /// The record to write (its <see cref="CallRecord.EventSequence"/> counted up) and the events its change causes;
    /// <paramref name="before"/> null for a call being created.
    /// </summary>
    public (CallRecord Call, IReadOnlyList<WebhookEvent> Events) Derive(CallRecord? before, CallRecord after, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(after);
        if (destination(after) is not { } url)
        {
            return (after, []);
        }

        var types = new List<(string Type, int? Attempt)>();
        foreach (var attempt in after.Attempts)
        {
            var earlier = before?.Attempts.FirstOrDefault(a => a.Number == attempt.Number);
            if (attempt.Outcome is not null && earlier?.Outcome is null)
            {
                types.Add((WebhookEventTypes.AttemptEnded, attempt.Number));
            }
        }

        if (after.Status.IsTerminal() && before?.Status.IsTerminal() != true)
        {
            types.Add((TerminalType(after.Status), null));
        }

        if (types.Count == 0)
        {
            return (after, []);
        }

        var call = after with { EventSequence = after.EventSequence + types.Count };
        var events = types.Select((type, i) =>
        {
            var sequence = after.EventSequence + i + 1;
            return new WebhookEvent
            {
                Id = EventId(after.CallId, sequence),
                Type = type.Type,
                CallId = after.CallId,
                BatchId = after.BatchId,
                Sequence = sequence,
                CreatedAt = now,
                Url = url,
                Body = Body(type.Type, call, sequence, type.Attempt, now),
            };
        }).ToList();
        return (call, events);
    }

    public static string TerminalType(CallStatus status) => status switch
    {
        CallStatus.Completed => WebhookEventTypes.Completed,
        CallStatus.Failed => WebhookEventTypes.Failed,
        CallStatus.Cancelled => WebhookEventTypes.Cancelled,
        CallStatus.Expired => WebhookEventTypes.Expired,
        CallStatus.Blocked => WebhookEventTypes.Blocked,
        _ => WebhookEventTypes.Unknown,
    };

    // {"type", "timestamp", "data"}: data is the call as the API shows it, plus sequence (and attempt for attempt_ended).
    private static string Body(string type, CallRecord call, long sequence, int? attempt, DateTimeOffset now)
    {
        var data = JsonSerializer.SerializeToNode(call, CallJson.Options)!.AsObject();
        data["sequence"] = sequence;
        if (attempt is { } number)
        {
            data["attempt"] = number;
        }

        var body = new JsonObject { ["type"] = type, ["timestamp"] = now.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture), ["data"] = data };
        return body.ToJsonString(CallJson.Options);
    }
}
