using CallQueue.Api.Calls;
using CallQueue.Api.Errors;
using CallQueue.Jobs.Storage;
using CallQueue.Jobs.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallQueue.Api.Webhooks;

/// <summary>
/// Look at and replay the events sent to the backend (issue 13): a call's events with their tries, a call's events sent
/// again, and a redelivery by time, type and status. A redelivery keeps each event's webhook-id (the receiver
/// de-duplicates) and sends to an endpoint that had answered 410 Gone again (the operator says it is back).
/// </summary>
public static class WebhooksApi
{
    /// <summary>Most events one bulk redelivery sends again.</summary>
    public const int MaxRedeliveries = 10_000;

    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/calls/{callId}/events", GetCallEventsAsync).WithTags("Webhooks").WithName("GetCallEvents");
        app.MapPost("/calls/{callId}/events/redeliver", RedeliverCallAsync).WithTags("Webhooks").WithName("RedeliverCallEvents");
        app.MapPost("/webhooks/redeliver", RedeliverAsync).WithTags("Webhooks").WithName("RedeliverEvents");
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<WebhookEventResponse>>, ProblemHttpResult>> GetCallEventsAsync(
        string callId, ICallStore store, IWebhookOutbox outbox, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(callId, cancellationToken) is null)
        {
            return NotFound(callId);
        }

        var events = await outbox.GetForCallAsync(callId, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<WebhookEventResponse>>(events.Select(WebhookEventResponse.From).ToList());
    }

    private static async Task<Results<Ok<RedeliverResponse>, ProblemHttpResult>> RedeliverCallAsync(
        string callId, ICallStore store, IWebhookOutbox outbox, IWebhookDispatcher dispatcher, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(callId, cancellationToken) is null)
        {
            return NotFound(callId);
        }

        var events = await outbox.GetForCallAsync(callId, cancellationToken);
        var sent = await SendAgainAsync(events, outbox, dispatcher, cancellationToken);
        return TypedResults.Ok(new RedeliverResponse(events.Count, sent, Truncated: false));
    }

    private static async Task<IResult> RedeliverAsync(HttpContext http, IWebhookOutbox outbox, IWebhookDispatcher dispatcher, CancellationToken cancellationToken)
    {
        var (request, problem) = await RequestBody.ReadAsync<RedeliverRequest>(http, 64 * 1024);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var from = Time(request!.From, "from", errors);
        var to = Time(request.To, "to", errors);
        if (from is not null && to is not null && from >= to)
        {
            errors["to"] = ["to must be after from."];
        }

        WebhookEventStatus? status = null;
        if (request.Status is { } text)
        {
            if (Enum.TryParse<WebhookEventStatus>(text, ignoreCase: true, out var parsed) && !int.TryParse(text, out _))
            {
                status = parsed;
            }
            else
            {
                errors["status"] = ["status must be one of pending, delivered, failed, gone."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The redelivery is not valid");
        }

        var found = await outbox.FindAsync(from!.Value, to!.Value, MaxRedeliveries + 1, cancellationToken);
        var matched = found
            .Where(e => request.Type is null || string.Equals(e.Type, request.Type, StringComparison.Ordinal))
            .Where(e => status is null || e.Status == status)
            .Take(MaxRedeliveries)
            .ToList();
        var sent = await SendAgainAsync(matched, outbox, dispatcher, cancellationToken);
        return TypedResults.Ok(new RedeliverResponse(matched.Count, sent, Truncated: found.Count > MaxRedeliveries));
    }

    private static async Task<int> SendAgainAsync(
        IReadOnlyList<WebhookEvent> events, IWebhookOutbox outbox, IWebhookDispatcher dispatcher, CancellationToken cancellationToken)
    {
        foreach (var url in events.Select(e => e.Url).Distinct(StringComparer.Ordinal))
        {
            await outbox.ClearGoneAsync(url, cancellationToken);
        }

        var reset = new List<string>(events.Count);
        foreach (var webhookEvent in events)
        {
            if (await outbox.ResetAsync(webhookEvent.Id, cancellationToken))
            {
                reset.Add(webhookEvent.Id);
            }
        }

        await dispatcher.DispatchAsync(reset, cancellationToken);
        return reset.Count;
    }

    private static DateTimeOffset? Time(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (text is not null && RequestFormats.TryParseIsoDateTime(text, out var at))
        {
            return at;
        }

        errors[field] = [$"{field} is required: an ISO 8601 date and time, e.g. 2026-12-07T00:00:00Z."];
        return null;
    }

    private static ProblemHttpResult NotFound(string callId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Call not found", detail: $"No call with call_id '{callId}'.");
}
