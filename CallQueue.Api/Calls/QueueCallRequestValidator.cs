using CallQueue.Jobs.Safety;
using CallQueue.Jobs.Webhooks;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace CallQueue.Api.Calls;

/// <summary>
/// Checks one call request (POST /api/calls/queue, or one bulk item). Errors carry the snake_case wire path
/// (<c>phone_number</c>, <c>call_config.answer_url</c>) and one message per field.
/// </summary>
public sealed class QueueCallRequestValidator : AbstractValidator<QueueCallRequest>
{
    /// <summary>What <c>expires_at</c> must look like, here and as a bulk request's default.</summary>
    internal const string ExpiresAtFormatMessage =
        "{PropertyPath} must be an ISO 8601 date and time, e.g. 2030-01-31T18:00:00Z or 2030-01-31T23:30:00+05:30.";

    internal const string ExpiresAtPastMessage = "{PropertyPath} must be in the future: a call not placed by then is never dialed.";

    /// <summary>Why a number whose time zone is unknown (no libphonenumber mapping) needs <c>call_config.timezone</c>.</summary>
    internal const string UnknownTimeZoneMessage =
        CalleeLookup.TimeZoneField + " is required for this number: its time zone is unknown, so its calling hours cannot be checked; give an IANA id such as America/New_York or Asia/Kolkata.";

    private readonly TimeProvider _timeProvider;

    /// <summary>Uses the system clock; dependency injection picks the other constructor when a <see cref="TimeProvider"/> is registered.</summary>
    public QueueCallRequestValidator()
        : this(TimeProvider.System)
    {
    }

    /// <summary>With webhooks off (no BACKEND_URL, so no <c>call_config.webhook_url</c>).</summary>
    public QueueCallRequestValidator(TimeProvider timeProvider)
        : this(timeProvider, Options.Create(new WebhookOptions()))
    {
    }

    /// <summary>The one dependency injection uses (IOptions is always registered; the webhook settings decide <c>call_config.webhook_url</c>).</summary>
    public QueueCallRequestValidator(TimeProvider timeProvider, IOptions<WebhookOptions> webhooks)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(webhooks);
        _timeProvider = timeProvider;

        RuleLevelCascadeMode = CascadeMode.Stop;

        RuleFor(x => x.PhoneNumber).WireName("phone_number")
            .NotEmpty()
            .WithMessage(RequestFormats.PhoneNumberRequiredMessage("{PropertyPath}"))
            .Must(number => RequestFormats.IsE164(number!))
            .WithMessage(RequestFormats.PhoneNumberFormatMessage("{PropertyPath}"))
            .Must(BeValidForItsCountry)
            .WithMessage(RequestFormats.PhoneNumberInvalidMessage("{PropertyPath}", "{Reason}"));

        RuleFor(x => x.CampaignId).WireName("campaign_id")
            .NotEmpty()
            .WithMessage("{PropertyPath} is required.")
            .MaximumLength(CallRequestLimits.CampaignIdMaxLength)
            .WithMessage($"{{PropertyPath}} must be at most {CallRequestLimits.CampaignIdMaxLength} characters.")
            .Must(id => RequestFormats.IsCampaignId(id!))
            .WithMessage("{PropertyPath} must not contain control characters or '/', and must not be '.' or '..' (it is part of the URL /api/campaigns/{campaign_id}/calls).");

        RuleFor(x => x.CallConfig!).WireName("call_config")
            .NotNull()
            .WithMessage("{PropertyPath} is required: it carries answer_url, the URL Plivo fetches when the callee answers.")
            .SetValidator(new CallConfigRequestValidator(webhooks));

        RuleFor(x => x.CustomCallId).WireName("custom_call_id")
            .Must(id => id is null || RequestFormats.IsId(id))
            .WithMessage($"{{PropertyPath}} must be 1 to {CallRequestLimits.IdMaxLength} characters of letters, digits and . _ : - (not '.' or '..').");

        RuleFor(x => x.ScheduledAt).WireName("scheduled_at")
            .Must(text => text is null || RequestFormats.TryParseIsoDateTime(text, out _))
            .WithMessage("{PropertyPath} must be an ISO 8601 date and time, e.g. 2030-01-31T14:30:00Z or 2030-01-31T20:00:00+05:30.")
            .Must(text => IsScheduledNoEarlierThan(text, _timeProvider.GetUtcNow().AddDays(-CallRequestLimits.ScheduleMaxDaysInPast)))
            .WithMessage($"{{PropertyPath}} is more than {CallRequestLimits.ScheduleMaxDaysInPast} day in the past; leave it out to call now.")
            .Must(text => IsScheduledNoLaterThan(text, _timeProvider.GetUtcNow().AddDays(CallRequestLimits.ScheduleMaxDaysAhead)))
            .WithMessage($"{{PropertyPath}} must be at most {CallRequestLimits.ScheduleMaxDaysAhead} days ahead.");

        RuleFor(x => x.ExpiresAt).WireName("expires_at")
            .Must(text => text is null || RequestFormats.TryParseIsoDateTime(text, out _))
            .WithMessage(ExpiresAtFormatMessage)
            .Must(text => IsLaterThan(text, _timeProvider.GetUtcNow()))
            .WithMessage(ExpiresAtPastMessage)
            .Must((request, text) => request.ScheduledAt is null || !RequestFormats.TryParseIsoDateTime(request.ScheduledAt, out var scheduledAt) || IsLaterThan(text, scheduledAt))
            .WithMessage("{PropertyPath} must be after scheduled_at: a call not placed by its expires_at is never dialed.");

        RuleFor(x => x).Custom(RequireAKnownTimeZone);

        RuleFor(x => x.Priority).WireName("priority")
            .Must(priority => priority is null || RequestFormats.TryParsePriority(priority, out _))
            .WithMessage("{PropertyPath} must be one of low, normal, high, urgent.");

        RuleFor(x => x.MaxRetries).WireName("max_retries")
            .InclusiveBetween(CallRequestLimits.MaxRetriesMin, CallRequestLimits.MaxRetriesMax)
            .WithMessage($"{{PropertyPath}} must be between {CallRequestLimits.MaxRetriesMin} and {CallRequestLimits.MaxRetriesMax}.");
    }

    // The range rules run only after the format rule passed (the rule cascade stops at the first failure).
    private static bool IsScheduledNoEarlierThan(string? text, DateTimeOffset earliest) =>
        text is null || !RequestFormats.TryParseIsoDateTime(text, out var at) || at >= earliest;

    private static bool IsScheduledNoLaterThan(string? text, DateTimeOffset latest) =>
        text is null || !RequestFormats.TryParseIsoDateTime(text, out var at) || at <= latest;

    /// <summary>True when <paramref name="text"/> is absent, not a date (its format rule reports it) or later than <paramref name="than"/>.</summary>
    internal static bool IsLaterThan(string? text, DateTimeOffset than) =>
        text is null || !RequestFormats.TryParseIsoDateTime(text, out var at) || at > than;

    // A number whose time zone is unknown would be dialed "anywhere, any time": it needs call_config.timezone. A number or
    // a zone that is not valid is reported by its own rule.
    private static void RequireAKnownTimeZone(QueueCallRequest request, ValidationContext<QueueCallRequest> context)
    {
        if (request.CallConfig is not { Timezone: null } || request.PhoneNumber is not { } number || RequestFormats.PhoneNumberError(number, "phone_number") is not null)
        {
            return;
        }

        if (CalleeLocator.Locate(number) is { Location: null, Field: { } field })
        {
            context.AddFailure(field, UnknownTimeZoneMessage);
        }
    }

    private static bool BeValidForItsCountry(QueueCallRequest request, string? number, ValidationContext<QueueCallRequest> context)
    {
        if (RequestFormats.PhoneNumberProblem(number!) is not { } reason)
        {
            return true;
        }

        context.MessageFormatter.AppendArgument("Reason", reason);
        return false;
    }
}
