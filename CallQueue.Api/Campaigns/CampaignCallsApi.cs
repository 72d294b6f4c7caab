using System.Globalization;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Storage;

namespace CallQueue.Api.Campaigns;

/// <summary>
/// GET /api/campaigns/{campaign_id}/calls?status=&amp;limit=&amp;cursor=: a campaign's calls, newest first, from the
/// campaign's index (no key scans). Pages follow <c>next_cursor</c>; calls queued meanwhile never shift later pages.
/// With <c>status</c>, the walk reads on until <c>limit</c> calls match, the campaign ends, or it has read
/// <see cref="ScanBudget"/> calls; then a page may hold fewer than <c>limit</c> calls and still have a next_cursor.
/// </summary>
public static class CampaignCallsApi
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    /// <summary>Most calls one filtered request reads, so a rare status in a huge campaign cannot make one request unbounded.</summary>
    public const int ScanBudget = 10_000;

    private const int FilteredChunk = 500;

    public static IEndpointRouteBuilder MapCampaignCallsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/campaigns/{campaignId}/calls", ListAsync).WithTags("Campaigns").WithName("CampaignCalls");
        return app;
    }

    private static async Task<IResult> ListAsync(
        string campaignId, string? status, string? limit, string? cursor, ICallStore store, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var filter = ParseStatus(status, errors);
        var pageSize = ParseLimit(limit, errors);
        CampaignCursor? position = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (CampaignCursorToken.TryDecode(cursor, out var decoded))
            {
                position = decoded;
            }
            else
            {
                errors["cursor"] = ["cursor is not valid: pass next_cursor from the previous page as it is."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The query is not valid");
        }

        var (calls, next) = await new CampaignCallsWalk(pageSize, FilteredChunk, ScanBudget).PageAsync(store, campaignId, filter, position, cancellationToken);
        return TypedResults.Ok(new CampaignCallsResponse(campaignId, calls, calls.Count, next));
    }

    private static CallStatus? ParseStatus(string? status, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(status))
        {
            return null;
        }

        foreach (var candidate in Enum.GetValues<CallStatus>())
        {
            if (string.Equals(candidate.ToWire(), status.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        errors["status"] = [$"status must be one of {string.Join(", ", Enum.GetValues<CallStatus>().Select(s => s.ToWire()))}."];
        return null;
    }

    private static int ParseLimit(string? limit, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(limit))
        {
            return DefaultLimit;
        }

        if (int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= MaxLimit)
        {
            return value;
        }

        errors["limit"] = [string.Create(CultureInfo.InvariantCulture, $"limit must be a whole number from 1 to {MaxLimit}.")];
        return DefaultLimit;
    }
}
