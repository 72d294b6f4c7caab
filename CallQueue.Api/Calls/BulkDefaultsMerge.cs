using System.Text.Json;
using CallQueue.Jobs.Calls;
using FluentValidation;

namespace CallQueue.Api.Calls;

/// <summary>
/// Merges a bulk request's <see cref="BulkDefaults"/> under each item: a field the item gives (not null) wins;
/// <c>call_config</c> is merged field by field, and <c>call_config.variables</c> key by key when both are objects. The
/// merged item is then validated like any other, so defaults need no rules of their own; <see cref="Check"/> reports a
/// bad default once, by its own name, instead of once per item.
/// </summary>
internal static class BulkDefaultsMerge
{
    /// <summary><paramref name="item"/> with the defaults (and the batch's top-level <c>expires_at</c>, the older spelling) under it.</summary>
    public static QueueCallRequest Apply(QueueCallRequest item, BulkDefaults? defaults, string? batchExpiresAt)
    {
        if (defaults is null)
        {
            return item.ExpiresAt is null && batchExpiresAt is not null ? item with { ExpiresAt = batchExpiresAt } : item;
        }

        return item with
        {
            CampaignId = item.CampaignId ?? defaults.CampaignId,
            CallConfig = Merge(item.CallConfig, defaults.CallConfig),
            Priority = item.Priority ?? defaults.Priority,
            MaxRetries = item.MaxRetries ?? defaults.MaxRetries,
            ScheduledAt = item.ScheduledAt ?? defaults.ScheduledAt,
            ExpiresAt = item.ExpiresAt ?? defaults.ExpiresAt ?? batchExpiresAt,
        };
    }

    /// <summary>
    /// The problems of the values <paramref name="defaults"/> gives, by wire path (<c>priority</c>,
    /// <c>call_config.answer_url</c>): the item validator's findings on the defaults alone, less those about fields the
    /// defaults leave to the items (a missing phone_number or answer_url is each item's business).
    /// </summary>
    public static IDictionary<string, string[]> Check(BulkDefaults? defaults, IValidator<QueueCallRequest> validator)
    {
        if (defaults is null)
        {
            return new Dictionary<string, string[]>();
        }

        var asCall = new QueueCallRequest
        {
            CampaignId = defaults.CampaignId,
            CallConfig = defaults.CallConfig,
            Priority = defaults.Priority,
            MaxRetries = defaults.MaxRetries,
            ScheduledAt = defaults.ScheduledAt,
            ExpiresAt = defaults.ExpiresAt,
        };
        var given = defaults.CallConfig is null ? default : JsonSerializer.SerializeToElement(defaults.CallConfig, CallJson.Options);
        return validator.Validate(asCall).ToDictionary()
            .Where(error => Gives(defaults, given, error.Key))
            .ToDictionary(error => error.Key, error => error.Value);
    }

    private static bool Gives(BulkDefaults defaults, JsonElement callConfig, string path)
    {
        const string CallConfigPrefix = "call_config.";
        if (path.StartsWith(CallConfigPrefix, StringComparison.Ordinal))
        {
            var field = path[CallConfigPrefix.Length..].Split('.', '[')[0];
            return callConfig.ValueKind == JsonValueKind.Object && callConfig.TryGetProperty(field, out _);
        }

        return path switch
        {
            "campaign_id" => defaults.CampaignId is not null,
            "priority" => defaults.Priority is not null,
            "max_retries" => defaults.MaxRetries is not null,
            "scheduled_at" => defaults.ScheduledAt is not null,
            "expires_at" => defaults.ExpiresAt is not null,
            _ => false,
        };
    }

    private static CallConfigRequest? Merge(CallConfigRequest? item, CallConfigRequest? defaults)
    {
        if (item is null || defaults is null)
        {
            return item ?? defaults;
        }

        return item with
        {
            FlowName = item.FlowName ?? defaults.FlowName,
            AnswerUrl = item.AnswerUrl ?? defaults.AnswerUrl,
            AnswerMethod = item.AnswerMethod ?? defaults.AnswerMethod,
            Variables = MergeVariables(item.Variables, defaults.Variables),
            Voice = item.Voice ?? defaults.Voice,
            MaxDuration = item.MaxDuration ?? defaults.MaxDuration,
            RecordingEnabled = item.RecordingEnabled ?? defaults.RecordingEnabled,
            RingTimeout = item.RingTimeout ?? defaults.RingTimeout,
            RetryDelaySeconds = item.RetryDelaySeconds ?? defaults.RetryDelaySeconds,
            MachineDetection = RequestFormats.IsAbsent(item.MachineDetection) ? defaults.MachineDetection : item.MachineDetection,
            Timezone = item.Timezone ?? defaults.Timezone,
            CallingWindow = item.CallingWindow ?? defaults.CallingWindow,
            WebhookUrl = item.WebhookUrl ?? defaults.WebhookUrl,
        };
    }

    // Key by key when both are objects (the item's keys win); otherwise the item's own, if it gives one. A non-object is
    // left for the validator to report.
    private static JsonElement? MergeVariables(JsonElement? item, JsonElement? defaults)
    {
        if (RequestFormats.IsAbsent(item))
        {
            return defaults;
        }

        if (RequestFormats.IsAbsent(defaults) || item!.Value.ValueKind != JsonValueKind.Object || defaults!.Value.ValueKind != JsonValueKind.Object)
        {
            return item;
        }

        var merged = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var variable in defaults.Value.EnumerateObject())
        {
            merged[variable.Name] = variable.Value;
        }

        foreach (var variable in item.Value.EnumerateObject())
        {
            merged[variable.Name] = variable.Value;
        }

        return JsonSerializer.SerializeToElement(merged);
    }
}
