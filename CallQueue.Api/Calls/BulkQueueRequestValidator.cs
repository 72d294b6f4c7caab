using FluentValidation;

namespace CallQueue.Api.Calls;

/// <summary>
/// Checks a bulk request's envelope: <c>batch_id</c> and the size of <c>calls</c>. It deliberately does not
/// validate the items: the endpoint runs <see cref="QueueCallRequestValidator"/> on each, queues the valid ones
/// and reports the invalid ones by index.
/// </summary>
public sealed class BulkQueueRequestValidator : AbstractValidator<BulkQueueRequest>
{
    public BulkQueueRequestValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;

        RuleFor(x => x.BatchId).WireName("batch_id")
            .Must(id => id is null || RequestFormats.IsId(id))
            .WithMessage($"{{PropertyPath}} must be 1 to {CallRequestLimits.IdMaxLength} characters of letters, digits and . _ : - (not '.' or '..').");

        RuleFor(x => x.Calls).WireName("calls")
            .NotNull()
            .WithMessage("{PropertyPath} is required: a list of calls to queue.")
            .Must(calls => calls!.Count > 0)
            .WithMessage("{PropertyPath} must contain at least one call.")
            .Must(calls => calls!.Count <= CallRequestLimits.MaxBatchSize)
            .WithMessage((_, calls) => $"{{PropertyPath}} must contain at most {CallRequestLimits.MaxBatchSize} calls (got {calls!.Count}); split the batch.");
    }
}
