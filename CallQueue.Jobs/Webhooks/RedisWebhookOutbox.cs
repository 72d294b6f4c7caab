using System.Globalization;
using System.Text.Json;
using CallQueue.Jobs.Calls;
using StackExchange.Redis;

namespace CallQueue.Jobs.Webhooks;

/// <summary>
/// The webhook outbox in Redis (layout: <see cref="WebhookKeys"/>). Call events are written by the call store inside the
/// transaction of the change that causes them (<see cref="QueueAdd"/>); everything else here.
/// </summary>
public sealed class RedisWebhookOutbox(IConnectionMultiplexer redis, string keyPrefix, TimeProvider time) : IWebhookOutbox
{
    private const int MaxTries = 20;
    private const int MaxConflicts = 20;

    private readonly WebhookKeys _keys = new(keyPrefix);

    private IDatabase Db => redis.GetDatabase();

    public static string Serialize(WebhookEvent webhookEvent) => JsonSerializer.Serialize(webhookEvent, CallJson.Options);

    public static WebhookEvent Deserialize(string json) =>
        JsonSerializer.Deserialize<WebhookEvent>(json, CallJson.Options) ?? throw new JsonException("A stored webhook event is null.");

    /// <summary>Queues the writes of a new event on <paramref name="batch"/> (a transaction or a batch).</summary>
    public void QueueAdd(IBatch batch, WebhookEvent webhookEvent)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(webhookEvent);
        var at = webhookEvent.CreatedAt.ToUnixTimeMilliseconds();
        _ = batch.StringSetAsync(_keys.Event(webhookEvent.Id), Serialize(webhookEvent), WebhookKeys.EventLifetime);
        if (webhookEvent.CallId is { } callId)
        {
            _ = batch.ListRightPushAsync(_keys.CallEvents(callId), webhookEvent.Id);
        }

        _ = batch.SortedSetAddAsync(_keys.Outbox, webhookEvent.Id, at);
        _ = batch.SortedSetAddAsync(_keys.Pending, webhookEvent.Id, at);
        _ = batch.SortedSetAddAsync(_keys.Index, webhookEvent.Id, at);
        _ = batch.SortedSetRemoveRangeByScoreAsync(_keys.Index, double.NegativeInfinity, at - WebhookKeys.EventLifetime.TotalMilliseconds);
    }

    public async Task<WebhookEvent?> GetAsync(string eventId, CancellationToken cancellationToken)
    {
        var json = await Db.StringGetAsync(_keys.Event(eventId));
        return json.IsNull ? null : Deserialize(json!);
    }

    public async Task<IReadOnlyList<WebhookEvent>> GetForCallAsync(string callId, CancellationToken cancellationToken)
    {
        var ids = await Db.ListRangeAsync(_keys.CallEvents(callId));
        return await GetManyAsync(ids.Select(id => (string)id!).ToList());
    }

    public async Task<bool> AddAsync(WebhookEvent webhookEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        var transaction = Db.CreateTransaction();
        transaction.AddCondition(Condition.KeyNotExists(_keys.Event(webhookEvent.Id)));
        QueueAdd(transaction, webhookEvent);
        return await transaction.ExecuteAsync();
    }

    public Task RecordTryAsync(string eventId, WebhookDeliveryTry delivery, WebhookEventStatus status, CancellationToken cancellationToken) =>
        ChangeAsync(eventId, current => current with { Status = status, Deliveries = [.. current.Deliveries.TakeLast(MaxTries - 1), delivery] });

    public async Task<bool> ResetAsync(string eventId, CancellationToken cancellationToken) =>
        await ChangeAsync(eventId, current => current with { Status = WebhookEventStatus.Pending });

    public async Task<IReadOnlyList<string>> GetPendingAsync(TimeSpan olderThan, int limit, CancellationToken cancellationToken)
    {
        var before = (time.GetUtcNow() - olderThan).ToUnixTimeMilliseconds();
        var ids = await Db.SortedSetRangeByScoreAsync(_keys.Outbox, double.NegativeInfinity, before, take: limit);
        return ids.Select(id => (string)id!).ToList();
    }

    public async Task<bool> IsAwaitingJobAsync(string eventId, CancellationToken cancellationToken) =>
        (await Db.SortedSetScoreAsync(_keys.Outbox, eventId)).HasValue;

    public async Task MarkDispatchedAsync(IReadOnlyList<string> eventIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        if (eventIds.Count > 0)
        {
            await Db.SortedSetRemoveAsync(_keys.Outbox, eventIds.Select(id => (RedisValue)id).ToArray());
        }
    }

    public Task<long> CountPendingAsync(CancellationToken cancellationToken) => Db.SortedSetLengthAsync(_keys.Pending);

    public async Task<IReadOnlyList<WebhookEvent>> FindAsync(DateTimeOffset since, DateTimeOffset until, int limit, CancellationToken cancellationToken)
    {
        var ids = await Db.SortedSetRangeByScoreAsync(
            _keys.Index, since.ToUnixTimeMilliseconds(), until.ToUnixTimeMilliseconds(), Exclude.Stop, take: limit);
        return await GetManyAsync(ids.Select(id => (string)id!).ToList());
    }

    public Task MarkGoneAsync(string url, DateTimeOffset at, CancellationToken cancellationToken) =>
        Db.HashSetAsync(_keys.Gone, url, at.ToUnixTimeMilliseconds());

    public Task ClearGoneAsync(string url, CancellationToken cancellationToken) => Db.HashDeleteAsync(_keys.Gone, url);

    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> GetGoneAsync(CancellationToken cancellationToken)
    {
        var entries = await Db.HashGetAllAsync(_keys.Gone);
        return entries.ToDictionary(entry => (string)entry.Name!, entry => DateTimeOffset.FromUnixTimeMilliseconds((long)entry.Value), StringComparer.Ordinal);
    }

    private async Task<IReadOnlyList<WebhookEvent>> GetManyAsync(List<string> ids)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var values = await Db.StringGetAsync(ids.Select(id => (RedisKey)_keys.Event(id)).ToArray());
        return values.Where(value => !value.IsNull).Select(value => Deserialize(value!)).ToList();
    }

    // Compare-and-set of one event; the pending set follows its status. False when there is no such event.
    private async Task<bool> ChangeAsync(string eventId, Func<WebhookEvent, WebhookEvent> change)
    {
        var key = _keys.Event(eventId);
        for (var conflict = 0; conflict < MaxConflicts; conflict++)
        {
            var json = await Db.StringGetAsync(key);
            if (json.IsNull)
            {
                return false;
            }

            var changed = change(Deserialize(json!));
            var transaction = Db.CreateTransaction();
            transaction.AddCondition(Condition.StringEqual(key, json));
            _ = transaction.StringSetAsync(key, Serialize(changed), expiry: null, keepTtl: true);
            _ = changed.Status == WebhookEventStatus.Pending
                ? transaction.SortedSetAddAsync(_keys.Pending, eventId, changed.CreatedAt.ToUnixTimeMilliseconds())
                : transaction.SortedSetRemoveAsync(_keys.Pending, eventId);
            if (await transaction.ExecuteAsync())
            {
                return true;
            }
        }

        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Webhook event {eventId} kept changing under {MaxConflicts} consecutive updates."));
    }
}
