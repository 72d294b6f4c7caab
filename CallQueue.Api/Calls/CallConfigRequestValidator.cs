using System.Text.Json;
using CallQueue.Api.Errors;
using CallQueue.Jobs.Safety;
using CallQueue.Jobs.Webhooks;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace CallQueue.Api.Calls;

/// <summary>Checks <c>call_config</c>; run as the child of <see cref="QueueCallRequestValidator"/>, so errors read <c>call_config.answer_url</c>.</summary>
public sealed class CallConfigRequestValidator : AbstractValidator<CallConfigRequest>
{
    /// <summary>With webhooks off (no BACKEND_URL); dependency injection picks the other constructor.</summary>
    public CallConfigRequestValidator()
        : this(Options.Create(new WebhookOptions()))
    {
    }

    /// <param name="webhooks">BACKEND_URL and WEBHOOK_ALLOWED_HOSTS, which decide where <c>webhook_url</c> may point.</param>
    public CallConfigRequestValidator(IOptions<WebhookOptions> webhooks)
    {
        ArgumentNullException.ThrowIfNull(webhooks);
        var webhookOptions = webhooks.Value;
        RuleLevelCascadeMode = CascadeMode.Stop;

        RuleFor(x => x.FlowName).WireName("flow_name")
            .MaximumLength(CallRequestLimits.FlowNameMaxLength)
            .WithMessage($"{{PropertyPath}} must be at most {CallRequestLimits.FlowNameMaxLength} characters.")
            .Must(name => name is null || RequestFormats.HasNoControlCharacters(name))
            .WithMessage("{PropertyPath} must not contain control characters.");

        RuleFor(x => x.AnswerUrl).WireName("answer_url")
            .NotEmpty()
            .WithMessage("{PropertyPath} is required: the URL Plivo fetches when the callee answers, e.g. https://your-domain.com/outbound-answer.")
            .MaximumLength(CallRequestLimits.AnswerUrlMaxLength)
            .WithMessage($"{{PropertyPath}} must be at most {CallRequestLimits.AnswerUrlMaxLength} characters.")
            .Must(url => RequestFormats.IsAbsoluteHttpUrl(url!))
            .WithMessage("{PropertyPath} must be an absolute http or https URL, e.g. https://your-domain.com/outbound-answer.");

        RuleFor(x => x.AnswerMethod).WireName("answer_method")
            .Must(method => method is null || RequestFormats.IsAnswerMethod(method))
            .WithMessage("{PropertyPath} must be GET or POST.");

        RuleFor(x => x.Variables).WireName("variables")
            .Must(variables => RequestFormats.IsAbsent(variables) || variables!.Value.ValueKind == JsonValueKind.Object)
            .WithMessage("{PropertyPath} must be a JSON object of names and values.")
            .Must(BeStorableJson)
            .WithMessage("{PropertyPath}: the value at {JsonPath} {Problem}.")
            .Must(variables => RequestFormats.IsAbsent(variables) || RequestFormats.CompactJsonSize(variables!.Value) <= CallRequestLimits.VariablesMaxBytes)
            .WithMessage($"{{PropertyPath}} must be at most {CallRequestLimits.VariablesMaxBytes} bytes (16 KB) as JSON.");

        RuleFor(x => x.Voice).WireName("voice")
            .MaximumLength(CallRequestLimits.VoiceMaxLength)
            .WithMessage($"{{PropertyPath}} must be at most {CallRequestLimits.VoiceMaxLength} characters.")
            .Must(voice => voice is null || RequestFormats.HasNoControlCharacters(voice))
            .WithMessage("{PropertyPath} must not contain control characters.");

        RuleFor(x => x.MaxDuration).WireName("max_duration")
            .InclusiveBetween(CallRequestLimits.MaxDurationMinSeconds, CallRequestLimits.MaxDurationMaxSeconds)
            .WithMessage($"{{PropertyPath}} must be between {CallRequestLimits.MaxDurationMinSeconds} and {CallRequestLimits.MaxDurationMaxSeconds} seconds.");

        RuleFor(x => x.RingTimeout).WireName("ring_timeout")
            .InclusiveBetween(CallRequestLimits.RingTimeoutMinSeconds, CallRequestLimits.RingTimeoutMaxSeconds)
            .WithMessage($"{{PropertyPath}} must be between {CallRequestLimits.RingTimeoutMinSeconds} and {CallRequestLimits.RingTimeoutMaxSeconds} seconds.");

        RuleFor(x => x.RetryDelaySeconds).WireName("retry_delay_seconds")
            .InclusiveBetween(CallRequestLimits.RetryDelayMinSeconds, CallRequestLimits.RetryDelayMaxSeconds)
            .WithMessage($"{{PropertyPath}} must be between {CallRequestLimits.RetryDelayMinSeconds} and {CallRequestLimits.RetryDelayMaxSeconds} seconds.");

        RuleFor(x => x.MachineDetection).WireName("machine_detection")
            .Must(detection => RequestFormats.IsAbsent(detection) || RequestFormats.TryParseMachineDetection(detection!.Value, out _))
            .WithMessage("{PropertyPath} must be true, false or \"hangup\".");

        RuleFor(x => x.Timezone).WireName("timezone")
            .Must(id => id is null || CalleeTimeZones.IsValid(id))
            .WithMessage((_, id) => CalleeLocator.InvalidTimeZoneMessage(id));

        RuleFor(x => x.CallingWindow).WireName("calling_window")
            .Must(BeACallingWindow)
            .WithMessage("{PropertyPath} is not valid: {WindowError}.");

        // Events are signed with our secret: a request must not be able to aim them at any host (issue 13).
        RuleFor(x => x.WebhookUrl).WireName("webhook_url")
            .Must(_ => webhookOptions.IsEnabled)
            .WithMessage("{PropertyPath} cannot be used: this server sends no webhooks because BACKEND_URL is not set (set BACKEND_URL, or leave webhook_url out).")
            .MaximumLength(CallRequestLimits.WebhookUrlMaxLength)
            .WithMessage($"{{PropertyPath}} must be at most {CallRequestLimits.WebhookUrlMaxLength} characters.")
            .Must(url => RequestFormats.IsAbsoluteHttpUrl(url!))
            .WithMessage("{PropertyPath} must be an absolute http or https URL, e.g. https://backend.example.com/webhooks/calls.")
            .Must(url => webhookOptions.IsAllowed(new Uri(url!, UriKind.Absolute)))
            .WithMessage((_, url) => NotAllowedHostMessage(webhookOptions, new Uri(url!, UriKind.Absolute)))
            .When(x => x.WebhookUrl is not null);
    }

    private static string NotAllowedHostMessage(WebhookOptions webhooks, Uri url) =>
        $"{{PropertyPath}} must point at an allowed host (WEBHOOK_ALLOWED_HOSTS): '{url.IdnHost}' is not one of {string.Join(", ", webhooks.AllowedHosts.Order(StringComparer.Ordinal))}.";

    private static bool BeACallingWindow(CallConfigRequest request, CallingWindowRequest? window, ValidationContext<CallConfigRequest> context)
    {
        if (window is null || CallingWindow.TryCreate(window.Start, window.End, window.Days, out _, out var error))
        {
            return true;
        }

        context.MessageFormatter.AppendArgument("WindowError", error);
        return false;
    }

    private static bool BeStorableJson(CallConfigRequest request, JsonElement? variables, ValidationContext<CallConfigRequest> context)
    {
        if (RequestFormats.IsAbsent(variables) || JsonText.FindProblem(variables!.Value) is not { } problem)
        {
            return true;
        }

        context.MessageFormatter.AppendArgument("JsonPath", problem.Path).AppendArgument("Problem", problem.Message);
        return false;
    }
}
