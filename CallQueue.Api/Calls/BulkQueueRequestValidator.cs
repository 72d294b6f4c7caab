using FluentValidation;

namespace CallQueue.Api.Calls;

/// <summary>
/// Checks a bulk request's envelope: <c>batch_id</c>, the default <c>expires_at</c> and the size of <c>calls</c>. It
/// deliberately does not validate the items: the endpoint runs <see cref="QueueCallRequestValidator"/> on each (with the
/// default <c>expires_at</c> filled in), queues the valid ones and reports the invalid ones by index.
/// </summary>
public sealed class BulkQueueRequestValidator : AbstractValidator<BulkQueueRequest>
{
    /// <summary>Uses the system clock; dependency injection picks the other constructor when a <see cref="TimeProvider"/> is registered.</summary>
    public BulkQueueRequestValidator()
        : this(TimeProvider.System)
    {
    }

    public BulkQueueRequestValidator(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        RuleLevelCascadeMode = CascadeMode.Stop;

        RuleFor(x => x.BatchId).WireName("batch_id")
            .Must(id => id is null || RequestFormats.IsId(id))
            .WithMessage($"{{PropertyPath}} must be 1 to {CallRequestLimits.IdMaxLength} characters of letters, digits and . _ : - (not '.' or '..').");

        RuleFor(x => x.ExpiresAt).WireName("expires_at")
            .Must(text => text is null || RequestFormats.TryParseIsoDateTime(text, out _))
            .WithMessage(QueueCallRequestValidator.ExpiresAtFormatMessage)
            .Must(text => QueueCallRequestValidator.IsLaterThan(text, timeProvider.GetUtcNow()))
            .WithMessage(QueueCallRequestValidator.ExpiresAtPastMessage);

        RuleFor(x => x.Calls).WireName("calls")
            .NotNull()
            .WithMessage("{PropertyPath} is required: a list of calls to queue.")
            .Must(calls => calls!.Count > 0)
            .WithMessage("{PropertyPath} must contain at least one call.")
            .Must(calls => calls!.Count <= CallRequestLimits.MaxBatchSize)
            .WithMessage((_, calls) => $"{{PropertyPath}} must contain at most {CallRequestLimits.MaxBatchSize} calls (got {calls!.Count}); split the batch.");
    }
}
