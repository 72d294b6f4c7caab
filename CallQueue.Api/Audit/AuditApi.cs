using System.Globalization;
using CallQueue.Jobs.Audit;

namespace CallQueue.Api.Audit;

/// <summary>
/// GET /api/audit?target=&amp;before=&amp;limit=: operator actions, newest first (<see cref="AuditEntry"/>: at, actor,
/// action, target, calls, detail). <c>target</c> as recorded (<c>campaign:{id}</c>, <c>batch:{id}</c>,
/// <c>call:{id}</c>, <c>dnc:{masked number}</c>); <c>before</c> an ISO 8601 time (the previous page's
/// <c>next_before</c>); <c>limit</c> 1–200 (50).
/// </summary>
public static class AuditApi
{
    public const int DefaultLimit = 50;
    public const int MaxTargetLength = 300;

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/audit", ListAsync).WithTags("Audit").WithName("ListAudit");
        return app;
    }

    private static async Task<IResult> ListAsync(string? target, string? before, string? limit, IAuditLog log, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        target = string.IsNullOrEmpty(target) ? null : target;
        if (target is not null && (target.Length > MaxTargetLength || target.Any(char.IsControl)))
        {
            errors["target"] = [string.Create(CultureInfo.InvariantCulture, $"target must be at most {MaxTargetLength} characters without control characters, e.g. campaign:spring-sale.")];
        }

        DateTimeOffset? beforeAt = null;
        if (!string.IsNullOrEmpty(before))
        {
            if (DateTimeOffset.TryParse(before, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                beforeAt = parsed;
            }
            else
            {
                errors["before"] = ["before must be an ISO 8601 time, e.g. 2026-12-07T09:30:00.123Z (the previous page's next_before)."];
            }
        }

        var pageSize = DefaultLimit;
        if (!string.IsNullOrEmpty(limit)
            && !(int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) && pageSize is >= 1 and <= AuditLimits.MaxListed))
        {
            errors["limit"] = [string.Create(CultureInfo.InvariantCulture, $"limit must be a whole number from 1 to {AuditLimits.MaxListed}.")];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The query is not valid");
        }

        // One more than asked tells whether there is a next page. The page then stops short of the millisecond of that
        // extra entry (entries are kept to the millisecond and "before" is strict), so its neighbours in the same
        // millisecond come with it on the next page instead of being skipped.
        var entries = await log.ListAsync(new AuditQuery(target, beforeAt, Math.Min(pageSize + 1, AuditLimits.MaxListed)), cancellationToken);
        if (entries.Count <= pageSize && entries.Count < AuditLimits.MaxListed)
        {
            return TypedResults.Ok(new AuditPageResponse(entries, entries.Count, null));
        }

        var page = entries.Take(pageSize).ToList();
        var boundary = entries.Count > pageSize ? entries[pageSize].At : page[^1].At;
        var whole = page.Where(entry => entry.At > boundary).ToList();
        if (whole.Count == 0)
        {
            // A whole page within one millisecond: shown as it is, the walk goes on past it.
            return TypedResults.Ok(new AuditPageResponse(page, page.Count, page[^1].At));
        }

        return TypedResults.Ok(new AuditPageResponse(whole, whole.Count, boundary.AddMilliseconds(1)));
    }
}
