using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Storage;
using CallQueue.Jobs.Webhooks;
using Microsoft.Extensions.Options;

namespace CallQueue.Jobs.Lifecycle;

/// <summary>
/// <see cref="IBatchCompletion"/> on the call store's batch progress (O(1) per check); only a complete batch is read
/// whole, once, for its counts by status. The event goes to BACKEND_URL (calls may name their own webhook_url; a batch
/// is the backend's).
/// </summary>
public sealed class BatchCompletion(
    ICallStore store, IWebhookOutbox outbox, IWebhookDispatcher dispatcher, IOptions<WebhookOptions> options, TimeProvider time) : IBatchCompletion
{
    private const int ReadChunk = 500;

    /// <summary>The batch's event id (deterministic: recorded once).</summary>
    public static string EventId(string batchId)
    {
        ArgumentNullException.ThrowIfNull(batchId);
        return "evt_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("batch\n" + batchId)))[..32];
    }

    public async Task CheckAsync(string batchId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batchId);
        if (options.Value.BackendUrl is not { } backend
            || !(await store.GetBatchProgressAsync(batchId, cancellationToken)).IsComplete
            || await outbox.GetAsync(EventId(batchId), cancellationToken) is not null)
        {
            return;
        }

        var ids = await store.GetBatchCallIdsAsync(batchId, cancellationToken);
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(ReadChunk))
        {
            foreach (var call in await store.GetManyAsync(chunk, cancellationToken))
            {
                var status = call.Status.ToWire();
                counts[status] = counts.GetValueOrDefault(status) + 1;
            }
        }

        var now = time.GetUtcNow();
        var countsJson = new JsonObject();
        foreach (var (status, count) in counts)
        {
            countsJson[status] = count;
        }

        var body = new JsonObject
        {
            ["type"] = WebhookEventTypes.BatchCompleted,
            ["timestamp"] = now.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            ["data"] = new JsonObject { ["batch_id"] = batchId, ["total"] = ids.Count, ["counts"] = countsJson },
        };
        var recorded = new WebhookEvent
        {
            Id = EventId(batchId),
            Type = WebhookEventTypes.BatchCompleted,
            BatchId = batchId,
            CreatedAt = now,
            Url = backend.ToString(),
            Body = body.ToJsonString(),
        };
        if (await outbox.AddAsync(recorded, cancellationToken))
        {
            await dispatcher.DispatchAsync([recorded.Id], cancellationToken);
        }
    }
}
