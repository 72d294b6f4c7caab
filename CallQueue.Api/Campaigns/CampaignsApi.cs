using System.Globalization;
using CallQueue.Api.Audit;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Campaigns;

namespace CallQueue.Api.Campaigns;

/// <summary>
/// Campaigns and batches as the operator's unit (issue 12): <c>GET /api/campaigns</c> (paged), <c>GET
/// /api/campaigns/{id}</c>, and <c>POST /api/{campaigns|batches}/{id}/{pause|resume|cancel}</c>: 200 with the new state and
/// the calls changed, 404 for an id nobody queued a call under, 409 with the current state for a command it does not allow.
/// </summary>
public static class CampaignsApi
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public static IEndpointRouteBuilder MapCampaignsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/campaigns", ListAsync).WithTags("Campaigns").WithName("ListCampaigns");
        app.MapGet("/campaigns/{campaignId}", GetAsync).WithTags("Campaigns").WithName("GetCampaign");
        foreach (var action in Enum.GetValues<ControlAction>())
        {
            var verb = action.ToWire();
            app.MapPost($"/campaigns/{{id}}/{verb}", (string id, HttpContext context, CampaignControl control, CancellationToken cancellationToken) =>
                    ControlAsync(ControlTarget.Campaign(id), action, context, control, cancellationToken))
                .WithTags("Campaigns").WithName($"{action}Campaign");
            app.MapPost($"/batches/{{id}}/{verb}", (string id, HttpContext context, CampaignControl control, CancellationToken cancellationToken) =>
                    ControlAsync(ControlTarget.Batch(id), action, context, control, cancellationToken))
                .WithTags("Batches").WithName($"{action}Batch");
        }

        return app;
    }

    /// <summary>Who acts: the API key's name (API_KEYS <c>name:key</c>), the dashboard user, or "anonymous" on an open API.</summary>
    public static string Actor(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return AuditRecorder.ActorOf(context.User);
    }

    private static async Task<IResult> ControlAsync(
        ControlTarget target, ControlAction action, HttpContext context, CampaignControl control, CancellationToken cancellationToken)
    {
        var result = await control.ApplyAsync(target, action, Actor(context), cancellationToken);
        var what = target.Scope == ControlScope.Campaign ? "Campaign" : "Batch";
        var idName = target.Scope == ControlScope.Campaign ? "campaign_id" : "batch_id";
        return result.Outcome switch
        {
            ControlOutcome.NotFound => TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound, title: $"{what} not found", detail: $"No call was queued with {idName} '{target.Id}'."),
            ControlOutcome.Conflict => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: $"{what} cannot be {Past(action)}",
                detail: $"{what} '{target.Id}' is {result.State.ToWire()}: {Allowed(action)}.",
                extensions: new Dictionary<string, object?>(StringComparer.Ordinal) { ["state"] = result.State.ToWire() }),
            _ => TypedResults.Ok(new ControlResponse(
                target.Scope == ControlScope.Campaign ? target.Id : null,
                target.Scope == ControlScope.Batch ? target.Id : null,
                action.ToWire(),
                result.State.ToWire(),
                result.Calls,
                result.InFlight)),
        };
    }

    private static string Past(ControlAction action) => action switch
    {
        ControlAction.Pause => "paused",
        ControlAction.Resume => "resumed",
        _ => "cancelled",
    };

    private static string Allowed(ControlAction action) => action switch
    {
        ControlAction.Pause => "only an active one with calls still to place can be paused",
        ControlAction.Resume => "only a paused one can be resumed",
        _ => "only an active or paused one can be cancelled",
    };

    private static async Task<IResult> GetAsync(string campaignId, CampaignProgressReader reader, CancellationToken cancellationToken) =>
        await reader.GetAsync(ControlTarget.Campaign(campaignId), cancellationToken) is { } progress
            ? TypedResults.Ok(CampaignResponse.From(progress))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Campaign not found", detail: $"No call was queued with campaign_id '{campaignId}'.");

    private static async Task<IResult> ListAsync(string? limit, string? cursor, CampaignProgressReader reader, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var pageSize = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxLimit))
        {
            errors["limit"] = [$"limit must be a whole number from 1 to {MaxLimit}."];
        }

        if (!CampaignProgressReader.IsCursor(cursor))
        {
            errors["cursor"] = ["cursor is not valid: pass next_cursor from the previous page as it is."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The query is not valid");
        }

        var page = await reader.ListAsync(string.IsNullOrEmpty(cursor) ? null : cursor, pageSize, cancellationToken);
        return TypedResults.Ok(new CampaignListResponse(page.Items.Select(CampaignResponse.From).ToList(), page.Next));
    }
}
