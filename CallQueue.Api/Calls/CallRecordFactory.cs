using System.Text.Json;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Configuration;
using CallQueue.Jobs.Operations;

namespace CallQueue.Api.Calls;

/// <summary>Turns a validated request into the call record that is stored.</summary>
internal static class CallRecordFactory
{
    public static CallRecord Create(QueueCallRequest request, string callId, string? batchId, string? idempotencyKey, QueueOptions defaults, DateTimeOffset now)
    {
        var config = request.CallConfig!;
        var scheduledAt = request.ParseScheduledAt();
        return new CallRecord
        {
            CallId = callId,
            PhoneNumber = request.PhoneNumber!,
            CampaignId = request.CampaignId!,
            Priority = request.ParsePriority() ?? CallPriority.Normal,
            MaxRetries = request.MaxRetries ?? QueueOptions.DefaultMaxRetries,
            Status = scheduledAt > now ? CallStatus.Scheduled : CallStatus.Queued,
            StatusReason = scheduledAt > now ? "Waiting for its scheduled_at" : "Queued",
            BatchId = batchId,
            IdempotencyKey = idempotencyKey,
            CreatedAt = now,
            UpdatedAt = now,
            ScheduledAt = scheduledAt,
            ExpiresAt = request.ParseExpiresAt(),
            TraceParent = CallQueueTracing.CurrentTraceParent(),
            Config = new CallConfig
            {
                FlowName = config.FlowName,
                AnswerUrl = config.AnswerUrl!,
                AnswerMethod = config.AnswerMethod?.ToUpperInvariant() ?? "POST",
                Variables = config.Variables is { ValueKind: JsonValueKind.Object } ? config.Variables : null,
                Voice = config.Voice,
                MaxDuration = config.MaxDuration,
                RecordingEnabled = config.RecordingEnabled,
                RingTimeout = config.RingTimeout,
                RetryDelaySeconds = config.RetryDelaySeconds ?? defaults.RetryDelaySeconds,
                MachineDetection = config.ParseMachineDetection(),
                Timezone = config.Timezone?.Trim(),
                CallingWindow = config.CallingWindow is { } window
                    ? new CallWindow { Start = window.Start!, End = window.End!, Days = window.Days?.Select(day => day!).ToList() }
                    : null,
                WebhookUrl = config.WebhookUrl,
            },
        };
    }
}
