using System.Globalization;
using System.Text.Json;
using CallQueue.Api.Audit;
using CallQueue.Api.Calls;
using CallQueue.Api.Errors;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Safety;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CallQueue.Api.DoNotCall;

/// <summary>
/// The do-not-call list (issue 11): POST /api/dnc lists numbers for every campaign or one, GET /api/dnc/{phone_number}
/// shows a number's entries, DELETE /api/dnc/{phone_number}?campaign_id= takes one entry off. Numbers as the queue
/// endpoints take them: E.164, valid for their country, stored as given.
/// </summary>
public static partial class DoNotCallApi
{
    /// <summary>Most numbers in one POST.</summary>
    public const int MaxNumbers = 100_000;

    /// <summary>Room for <see cref="MaxNumbers"/> numbers with generous whitespace (a compact body of 100,000 is ~1.7 MB).</summary>
    public const long BodyLimit = 8 * 1024 * 1024;

    private const string NumbersField = "phone_numbers";

    public static IEndpointRouteBuilder MapDoNotCallApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/dnc", AddAsync).WithTags("DoNotCall").WithName("AddDoNotCall");
        var dnc = app.MapGroup("/dnc").WithTags("DoNotCall");
        dnc.MapGet("/{phoneNumber}", GetAsync).WithName("GetDoNotCall");
        dnc.MapDelete("/{phoneNumber}", RemoveAsync).WithName("RemoveDoNotCall");
        return app;
    }

    private static async Task<IResult> AddAsync(
        HttpContext http, IDoNotCallList list, TimeProvider time, AuditRecorder audit, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var (request, problem) = await RequestBody.ReadAsync<AddDoNotCallRequest>(http, BodyLimit);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var numbers = request!.PhoneNumbers;
        if (numbers is null || numbers.Count == 0)
        {
            errors[NumbersField] = [$"{NumbersField} is required: a list of 1 to {MaxNumbers} E.164 numbers, e.g. [\"+919123456789\"]."];
        }
        else if (numbers.Count > MaxNumbers)
        {
            errors[NumbersField] = [string.Create(CultureInfo.InvariantCulture, $"{NumbersField} must hold at most {MaxNumbers} numbers (got {numbers.Count}); split the list.")];
        }

        CheckCampaignId(request.CampaignId, errors);
        var reason = request.Reason?.Trim();
        if (reason is not null && (reason.Length > DoNotCallEntry.ReasonMaxLength || !RequestFormats.HasNoControlCharacters(reason)))
        {
            errors["reason"] = [$"reason must be at most {DoNotCallEntry.ReasonMaxLength} characters, without control characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The do-not-call request is not valid");
        }

        var rejected = new List<DoNotCallRejection>();
        var valid = new List<string>(numbers!.Count);
        for (var index = 0; index < numbers.Count; index++)
        {
            var field = string.Create(CultureInfo.InvariantCulture, $"{NumbersField}[{index}]");
            var element = numbers[index];
            var number = element.ValueKind == JsonValueKind.String && JsonText.FindProblem(element) is null ? element.GetString() : null;
            var error = element.ValueKind == JsonValueKind.String && number is null
                ? $"{field} must be valid Unicode text."
                : element.ValueKind is not (JsonValueKind.String or JsonValueKind.Null)
                    ? $"{field} must be a string: an E.164 number, e.g. +919123456789."
                    : RequestFormats.PhoneNumberError(number, field);
            if (error is null)
            {
                valid.Add(number!);
            }
            else
            {
                rejected.Add(new DoNotCallRejection(index, number, new Dictionary<string, string[]> { [field] = [error] }));
            }
        }

        var entry = new DoNotCallEntry(request.CampaignId, reason is { Length: > 0 } ? reason : null, DoNotCallSource.Api, time.GetUtcNow());
        var added = valid.Count == 0 ? [] : await list.AddAsync(valid, entry, cancellationToken);
        var addedCount = added.Count(flag => flag);
        LogAdded(logs.CreateLogger(typeof(DoNotCallApi)), addedCount, added.Count - addedCount, rejected.Count, entry.Scope);
        if (valid.Count > 0)
        {
            // One entry per request: one number is named (masked, like the logs), a list is counted.
            var target = valid.Count == 1 ? "dnc:" + PhoneNumberMask.Mask(valid[0]) : "dnc";
            var detail = string.Create(
                CultureInfo.InvariantCulture, $"{addedCount} listed, {added.Count - addedCount} already listed, {rejected.Count} rejected; {ScopeText(entry.CampaignId)}");
            await audit.RecordAsync(http.User, "dnc.add", target, 0, detail, cancellationToken);
        }

        return TypedResults.Ok(new AddDoNotCallResponse(addedCount, added.Count - addedCount, rejected));
    }

    private static async Task<IResult> GetAsync(string phoneNumber, IDoNotCallList list, CancellationToken cancellationToken)
    {
        if (RequestFormats.PhoneNumberError(phoneNumber, "phone_number") is { } error)
        {
            return PhoneNumberProblem(error);
        }

        var entries = await list.GetAsync(phoneNumber, cancellationToken);
        return entries.Count == 0
            ? NotListed(phoneNumber)
            : TypedResults.Ok(new DoNotCallNumberResponse(phoneNumber, entries.Select(DoNotCallEntryResponse.From).ToList()));
    }

    private static async Task<IResult> RemoveAsync(
        string phoneNumber,
        [FromQuery(Name = "campaign_id")] string? campaignId,
        HttpContext http,
        IDoNotCallList list,
        AuditRecorder audit,
        ILoggerFactory logs,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (RequestFormats.PhoneNumberError(phoneNumber, "phone_number") is { } error)
        {
            errors["phone_number"] = [error];
        }

        campaignId = string.IsNullOrEmpty(campaignId) ? null : campaignId;
        CheckCampaignId(campaignId, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The do-not-call request is not valid");
        }

        if (!await list.RemoveAsync(phoneNumber, campaignId, cancellationToken))
        {
            return NotListed(phoneNumber, campaignId);
        }

        LogRemoved(logs.CreateLogger(typeof(DoNotCallApi)), PhoneNumberMask.Mask(phoneNumber), campaignId is null ? "global" : "campaign");
        await audit.RecordAsync(http.User, "dnc.remove", "dnc:" + PhoneNumberMask.Mask(phoneNumber), 0, ScopeText(campaignId), cancellationToken);
        return TypedResults.NoContent();
    }

    private static string ScopeText(string? campaignId) => campaignId is null ? "global" : "campaign " + campaignId;

    private static void CheckCampaignId(string? campaignId, Dictionary<string, string[]> errors)
    {
        if (campaignId is not null && !RequestFormats.IsCampaignId(campaignId))
        {
            errors["campaign_id"] = [$"campaign_id must be 1 to {CallRequestLimits.CampaignIdMaxLength} characters without control characters or '/', and not '.' or '..'."];
        }
    }

    private static ValidationProblem PhoneNumberProblem(string error) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["phone_number"] = [error] }, title: "The phone number is not valid");

    // The detail masks the number like the logs: a 404 page may end up in a proxy's log.
    private static ProblemHttpResult NotListed(string phoneNumber, string? campaignId = null) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Not on the do-not-call list",
        detail: $"{PhoneNumberMask.Mask(phoneNumber)} has no do-not-call entry{(campaignId is null ? string.Empty : " for that campaign")}.");

    [LoggerMessage(8301, LogLevel.Information, "Do-not-call: {Added} numbers listed, {AlreadyListed} already listed, {Rejected} rejected (scope {Scope})")]
    private static partial void LogAdded(ILogger logger, int added, int alreadyListed, int rejected, string scope);

    [LoggerMessage(8302, LogLevel.Information, "Do-not-call: {PhoneNumber} taken off the list (scope {Scope})")]
    private static partial void LogRemoved(ILogger logger, string phoneNumber, string scope);
}
