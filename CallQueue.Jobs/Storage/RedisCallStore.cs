using System.Runtime.CompilerServices;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Webhooks;
using StackExchange.Redis;

namespace CallQueue.Jobs.Storage;

/// <summary>Call records in Redis (key schema: <see cref="CallStoreKeys"/>).</summary>
public sealed class RedisCallStore : ICallStore, IEnqueuingCallStore
{
    private const int CreateChunkSize = 500;
    private const int MaxUpdateConflicts = 50;

    // The create script's KEYS and ARGV before the per-call ones (see CreateLoop).
    private const int CreateSharedKeys = 7;
    private const int CreateSharedArguments = 3;

    private static readonly TimeSpan IdempotencyKeyLifetime = TimeSpan.FromDays(7);

    // Creates each call unless its id or idempotency key exists. KEYS: awaiting-job, counts, webhook outbox, pending events,
    // event index, batch-done, campaigns, then per call: call hash, idempotency key, campaign index, batch list, its event, its
    // event list, campaign tally, batch tally, phone index bucket, the number's own sorted set, the campaign group's list (the
    // counts key stands in for a key the call does not have: every key a script touches is in KEYS, which is how Redis
    // Cluster runs it on the node serving them). ARGV: now (ms), idempotency TTL (s), event TTL (ms), then per call: id,
    // has idempotency key (1/0), record JSON, has batch (1/0), initial status, awaits a dial job (1/0: 0 for a call stored
    // ended, which never gets one), waiting-count field ('' when not held), event id ('' for none: a call stored ended
    // records its terminal event with it, issue 13), event JSON, stored ended (1/0), batch id ('' for none; a batch's ended
    // calls are counted in batch-done), campaign id, tally status field, phone number, campaign index member (its id, or its
    // group's entry: CampaignIndexGroups) and score, in a group (1/0). Returns id, created flag (1/0) per call.
    // The phone index: a number's one call in its bucket; its second moves both to the number's own sorted set.
    private const string CreateLoop =
        """
        local now = ARGV[1]
        local ttl = tonumber(ARGV[2])
        local out = {}
        for i = first, #ARGV, 17 do
          local id, keyed, json, batched, status = ARGV[i], ARGV[i+1] == '1', ARGV[i+2], ARGV[i+3] == '1', ARGV[i+4]
          local awaits, waiting, event, eventjson = ARGV[i+5] == '1', ARGV[i+6], ARGV[i+7], ARGV[i+8]
          local call, idem, campaign, batch, eventkey, events = KEYS[k], KEYS[k+1], KEYS[k+2], KEYS[k+3], KEYS[k+4], KEYS[k+5]
          local ctally, btally, phones, phone, group = KEYS[k+6], KEYS[k+7], KEYS[k+8], KEYS[k+9], KEYS[k+10]
          k = k + 11
          local existing = false
          if keyed then existing = redis.call('GET', idem) end
          if existing then
            out[#out + 1] = existing
            out[#out + 1] = 0
          elseif not redis.call('SET', call, json, 'NX') then
            out[#out + 1] = id
            out[#out + 1] = 0
          else
            if keyed then redis.call('SET', idem, id, 'EX', ttl) end
            redis.call('ZADD', campaign, ARGV[i+15], ARGV[i+14])
            if ARGV[i+16] == '1' then redis.call('RPUSH', group, id) end
            if awaits then redis.call('ZADD', KEYS[1], now, id) end
            if batched then redis.call('RPUSH', batch, id) end
            redis.call('HINCRBY', KEYS[2], status, 1)
            if waiting ~= '' then redis.call('HINCRBY', KEYS[2], waiting, 1) end
            if batched and ARGV[i+9] == '1' then redis.call('HINCRBY', KEYS[6], ARGV[i+10], 1) end
            redis.call('ZADD', KEYS[7], 'NX', now, ARGV[i+11])
            local first = redis.call('HGET', phones, ARGV[i+13])
            if first then
              redis.call('ZADD', phone, now - 1, first, now, id)
              redis.call('HDEL', phones, ARGV[i+13])
            elseif redis.call('EXISTS', phone) == 1 then
              redis.call('ZADD', phone, now, id)
            else
              redis.call('HSET', phones, ARGV[i+13], id)
            end
            redis.call('HINCRBY', ctally, ARGV[i+12], 1)
            redis.call('HSETNX', ctally, 'first', now)
            redis.call('HSET', ctally, 'last', now)
            if batched then
              redis.call('HINCRBY', btally, ARGV[i+12], 1)
              redis.call('HSETNX', btally, 'first', now)
              redis.call('HSET', btally, 'last', now)
            end
            if event ~= '' then
              redis.call('SET', eventkey, eventjson, 'PX', ARGV[3])
              redis.call('RPUSH', events, event)
              for j = 3, 5 do redis.call('ZADD', KEYS[j], now, event) end
            end
            out[#out + 1] = id
            out[#out + 1] = 1
          end
        end
        """;

    private static readonly LuaScript CreateScript = LuaScript.Prepare("local first, k = 4, 8\n" + CreateLoop + "\nreturn out");

    // The single enqueue (IEnqueuingCallStore): the guard first — nothing is written when one of its hash fields exists —
    // and the lengths of its lists; then the create script for one call and — only if the call was created — its dial job as
    // Hangfire's Redis storage writes one (InlineDialJob), all in the same atomic step. KEYS: the create script's seven, then
    // the job hash, its state hash, its history, the queue's list, the set of queues, the guard's hashes, its lists, then
    // the call's. ARGV: the create script's three, then the number of job fields, the number of state fields, the job fields
    // and the state fields (name, value, ...), the history entry, job id, queue, fetch channel, the number of the guard's
    // fields and of its lists, its fields, then the call's. Returns the create script's id and created flag followed by the
    // lists' lengths, or '', 2 and the index of the field found.
    private static readonly LuaScript CreateEnqueuedScript = LuaScript.Prepare(
        """
        local nj, ns = tonumber(ARGV[4]), tonumber(ARGV[5])
        local h = 6 + 2 * (nj + ns)
        local nf, nl = tonumber(ARGV[h + 4]), tonumber(ARGV[h + 5])
        for j = 1, nf do
          if redis.call('HEXISTS', KEYS[12 + j], ARGV[h + 5 + j]) == 1 then return {'', 2, j} end
        end
        local lengths = {}
        for j = 1, nl do lengths[j] = redis.call('LLEN', KEYS[12 + nf + j]) end
        local first, k = h + 6 + nf, 13 + nf + nl

        """ + CreateLoop + "\n" +
        """
        if out[2] == 1 then
          redis.call('HSET', KEYS[8], unpack(ARGV, 6, 5 + 2 * nj))
          redis.call('HSET', KEYS[9], unpack(ARGV, 6 + 2 * nj, h - 1))
          redis.call('RPUSH', KEYS[10], ARGV[h])
          redis.call('SADD', KEYS[12], ARGV[h + 2])
          redis.call('LPUSH', KEYS[11], ARGV[h + 1])
          redis.call('PUBLISH', ARGV[h + 3], ARGV[h + 1])
        end
        for j = 1, nl do out[#out + 1] = lengths[j] end
        return out
        """);

    // Compare-and-set of a record the caller holds: writes the new JSON and leaves awaiting-job, only if the stored JSON is
    // exactly the one expected (every write changes updated_at, so an equal JSON is an unchanged record). KEYS: call key,
    // awaiting-job. ARGV: expected JSON, new JSON, call id. Returns 1 when written, 0 when the record changed meanwhile, does
    // not exist or is stored in the hash of before issue 15 (pcall: GET answers that one with an error, not a string).
    private static readonly LuaScript AssignJobScript = LuaScript.Prepare(
        """
        if redis.pcall('GET', KEYS[1]) ~= ARGV[1] then return 0 end
        redis.call('SET', KEYS[1], ARGV[2])
        redis.call('ZREM', KEYS[2], ARGV[3])
        return 1
        """);

    // Deletes a call stored exactly as one request wrote it and never changed since (the same JSON). KEYS: call key,
    // campaign index, awaiting-job, batch list, idempotency key, counts (the batch and key slots are the counts key
    // itself when the call has none), batch-done, its event, its event list, outbox, pending, event index, campaign tally,
    // batch tally, phone index bucket, the number's sorted set, the list of the campaign group it would be in (a batch's call
    // is in its request's group or has an entry of its own: both are taken out; the group's entry goes with its last call).
    // ARGV: expected JSON, call id, status, has batch (1/0), has idempotency key (1/0), waiting-count field ('' when not
    // held), event id, stored ended (1/0), batch id, tally status field, phone number, campaign group entry.
    private static readonly LuaScript WithdrawScript = LuaScript.Prepare(
        """
        if redis.pcall('GET', KEYS[1]) ~= ARGV[1] then return 0 end
        redis.call('DEL', KEYS[1])
        redis.call('ZREM', KEYS[2], ARGV[2])
        redis.call('ZREM', KEYS[3], ARGV[2])
        if ARGV[4] == '1' then
          redis.call('LREM', KEYS[4], 0, ARGV[2])
          redis.call('LREM', KEYS[17], 0, ARGV[2])
          if redis.call('LLEN', KEYS[17]) == 0 then redis.call('ZREM', KEYS[2], ARGV[12]) end
        end
        if ARGV[5] == '1' and redis.call('GET', KEYS[5]) == ARGV[2] then redis.call('DEL', KEYS[5]) end
        redis.call('HINCRBY', KEYS[6], ARGV[3], -1)
        if ARGV[6] ~= '' then redis.call('HINCRBY', KEYS[6], ARGV[6], -1) end
        if ARGV[4] == '1' and ARGV[8] == '1' then redis.call('HINCRBY', KEYS[7], ARGV[9], -1) end
        if ARGV[7] ~= '' then
          redis.call('DEL', KEYS[8], KEYS[9])
          for j = 10, 12 do redis.call('ZREM', KEYS[j], ARGV[7]) end
        end
        if redis.call('HGET', KEYS[15], ARGV[11]) == ARGV[2] then redis.call('HDEL', KEYS[15], ARGV[11]) end
        redis.call('ZREM', KEYS[16], ARGV[2])
        redis.call('HINCRBY', KEYS[13], ARGV[10], -1)
        if ARGV[4] == '1' then redis.call('HINCRBY', KEYS[14], ARGV[10], -1) end
        return 1
        """);

    // A record written before issue 15: a hash of the API's JSON (d) and a version (v). Read as it is; its next update
    // stores it in today's form (a string of StoredCallJson).
    private static readonly RedisValue LegacyDataField = "d";
    private static readonly RedisValue LegacyVersionField = "v";
    private static readonly RedisValue[] LegacyFields = [LegacyDataField, LegacyVersionField];

    // What each record was created as (with the events its creation recorded) and its JSON, by the caller's instance: the
    // job assignment of a call just created starts from it and compares against that JSON instead of serialising the
    // record again (issue 15, the single enqueue).
    private readonly ConditionalWeakTable<CallRecord, Created> _created = [];

    private readonly IConnectionMultiplexer _redis;
    private readonly CallStoreKeys _keys;
    private readonly WebhookKeys _eventKeys;
    private readonly TimeProvider _time;
    private readonly CallWebhookEvents _events;
    private readonly RedisWebhookOutbox _outbox;
    private readonly string? _hangfirePrefix;

    /// <summary>
    /// A store whose writes also record the webhook events a change causes (<paramref name="events"/>, issue 13) in the
    /// outbox, in the same atomic write as the change; without it, none.
    /// </summary>
    /// <param name="redis">The multiplexer shared with Hangfire and the limiters.</param>
    /// <param name="keyPrefix">REDIS_KEY_PREFIX (the hash tag of every key).</param>
    /// <param name="time">The clock of created_at, updated_at and the events' timestamps.</param>
    /// <param name="events">Which events a change causes.</param>
    /// <param name="hangfirePrefix">
    /// The key prefix of Hangfire's Redis storage on the same Redis and database (its <c>RedisStorageOptions.Prefix</c>):
    /// with it, a call to be dialed now is stored together with its dial job (<see cref="IEnqueuingCallStore"/>).
    /// </param>
    public RedisCallStore(IConnectionMultiplexer redis, string keyPrefix, TimeProvider time, CallWebhookEvents? events = null, string? hangfirePrefix = null)
    {
        _hangfirePrefix = hangfirePrefix;
        _redis = redis;
        _keys = new CallStoreKeys(keyPrefix);
        _eventKeys = new WebhookKeys(keyPrefix);
        _time = time;
        _events = events ?? CallWebhookEvents.None;
        _outbox = new RedisWebhookOutbox(redis, keyPrefix, time);
    }

    private IDatabase Db => _redis.GetDatabase();

    public bool CanEnqueue => _hangfirePrefix is not null;

    public async Task<EnqueueResult> CreateEnqueuedAsync(CallRecord record, EnqueuedJobWrite job, EnqueueGuard guard, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(guard);
        if (_hangfirePrefix is not { } hangfire)
        {
            throw new InvalidOperationException("This store was made without Hangfire's key prefix: it cannot write dial jobs.");
        }

        if (record.JobId != job.Id)
        {
            throw new ArgumentException("The call's job id is not the job's.", nameof(record));
        }

        var now = _time.GetUtcNow();
        var (stored, events) = _events.Derive(before: null, record, now);
        var json = StoredCallJson.Write(stored);
        (CallRecord, IReadOnlyList<WebhookEvent>)[] one = [(stored, events)];
        string?[] groups = [null];
        var jobKeys = new List<RedisKey>(5 + guard.AbsentFields.Count + guard.CountedLists.Count)
        {
            hangfire + "job:" + job.Id,
            hangfire + "job:" + job.Id + ":state",
            hangfire + "job:" + job.Id + ":history",
            hangfire + "queue:" + job.Queue,
            hangfire + "queues",
        };
        var jobArguments = new List<RedisValue>(10 + (2 * (job.JobFields.Count + job.StateFields.Count)) + guard.AbsentFields.Count)
        {
            job.JobFields.Count,
            job.StateFields.Count,
        };
        foreach (var (name, value) in job.JobFields.Concat(job.StateFields))
        {
            jobArguments.Add(name);
            jobArguments.Add(value);
        }

        jobArguments.AddRange([job.HistoryEntry, job.Id, job.Queue, hangfire + "JobFetchChannel", guard.AbsentFields.Count, guard.CountedLists.Count]);
        foreach (var (hash, field) in guard.AbsentFields)
        {
            jobKeys.Add(hash);
            jobArguments.Add(field);
        }

        jobKeys.AddRange(guard.CountedLists);
        var keys = CreateKeys(one, groups);
        var arguments = CreateArguments(one, [json], groups, now.ToUnixTimeMilliseconds());
        var values = (RedisValue[])(await Db.ScriptEvaluateAsync(
            CreateEnqueuedScript.ExecutableScript,
            [.. keys.AsSpan(0, CreateSharedKeys), .. jobKeys, .. keys.AsSpan(CreateSharedKeys)],
            [.. arguments.AsSpan(0, CreateSharedArguments), .. jobArguments, .. arguments.AsSpan(CreateSharedArguments)]))!;
        return (int)values[1] == 2
            ? new EnqueueResult(null, [])
            : new EnqueueResult(new CreateCallResult(values[0]!, (int)values[1] == 1), values[2..].Select(length => (long)length).ToList());
    }

    public async Task<IReadOnlyList<CreateCallResult>> CreateAsync(IReadOnlyList<CallRecord> calls, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(calls);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var at = _time.GetUtcNow();
        var withEvents = calls.Select(call => _events.Derive(before: null, call, at)).ToList();
        var json = new string[calls.Count];
        for (var i = 0; i < calls.Count; i++)
        {
            json[i] = StoredCallJson.Write(withEvents[i].Call);
            _created.AddOrUpdate(calls[i], new Created(withEvents[i].Call, json[i]));
        }

        var groups = CampaignIndexGroups.Of(calls);
        var chunks = withEvents.Chunk(CreateChunkSize)
            .Select((chunk, n) => Db.ScriptEvaluateAsync(
                CreateScript.ExecutableScript,
                CreateKeys(chunk, groups.AsSpan(n * CreateChunkSize, chunk.Length)),
                CreateArguments(chunk, json.AsSpan(n * CreateChunkSize, chunk.Length), groups.AsSpan(n * CreateChunkSize, chunk.Length), now)))
            .ToList();
        var results = new List<CreateCallResult>(calls.Count);
        foreach (var chunk in chunks)
        {
            var values = (RedisValue[])(await chunk)!;
            for (var i = 0; i < values.Length; i += 2)
            {
                results.Add(new CreateCallResult(values[i]!, (int)values[i + 1] == 1));
            }
        }

        return results;
    }

    private RedisKey[] CreateKeys((CallRecord Call, IReadOnlyList<WebhookEvent> Events)[] chunk, ReadOnlySpan<string?> groups)
    {
        var counts = (RedisKey)_keys.Counts;
        var keys = new RedisKey[CreateSharedKeys + (chunk.Length * 11)];
        keys[0] = _keys.AwaitingJob;
        keys[1] = counts;
        keys[2] = _eventKeys.Outbox;
        keys[3] = _eventKeys.Pending;
        keys[4] = _eventKeys.Index;
        keys[5] = _keys.BatchDone;
        keys[6] = _keys.Campaigns;
        var i = CreateSharedKeys;
        for (var n = 0; n < chunk.Length; n++)
        {
            var (call, events) = chunk[n];
            keys[i++] = _keys.Call(call.CallId);
            keys[i++] = string.IsNullOrEmpty(call.IdempotencyKey) ? counts : _keys.Idempotency(call.IdempotencyKey);
            keys[i++] = _keys.Campaign(call.CampaignId);
            keys[i++] = string.IsNullOrEmpty(call.BatchId) ? counts : _keys.Batch(call.BatchId);
            keys[i++] = events is [var created, ..] ? _eventKeys.Event(created.Id) : counts;
            keys[i++] = events.Count > 0 ? _eventKeys.CallEvents(call.CallId) : counts;
            keys[i++] = _keys.CampaignTally(call.CampaignId);
            keys[i++] = string.IsNullOrEmpty(call.BatchId) ? counts : _keys.BatchTally(call.BatchId);
            keys[i++] = _keys.PhoneBucket(call.PhoneNumber);
            keys[i++] = _keys.Phone(call.PhoneNumber);
            keys[i++] = groups[n] is { } group ? _keys.CampaignGroup(call.CampaignId, group) : counts;
        }

        return keys;
    }

    private static RedisValue[] CreateArguments(
        (CallRecord Call, IReadOnlyList<WebhookEvent> Events)[] chunk, ReadOnlySpan<string> json, ReadOnlySpan<string?> groups, long now)
    {
        var args = new RedisValue[CreateSharedArguments + (chunk.Length * 17)];
        args[0] = now;
        args[1] = (long)IdempotencyKeyLifetime.TotalSeconds;
        args[2] = (long)WebhookKeys.EventLifetime.TotalMilliseconds;
        var i = CreateSharedArguments;
        for (var n = 0; n < chunk.Length; n++)
        {
            var (call, events) = chunk[n];
            args[i++] = call.CallId;
            args[i++] = string.IsNullOrEmpty(call.IdempotencyKey) ? 0 : 1;
            args[i++] = json[n];
            args[i++] = string.IsNullOrEmpty(call.BatchId) ? 0 : 1;
            args[i++] = call.Status.ToWire();
            args[i++] = call.Status.IsTerminal() || call.JobId is not null ? 0 : 1; // a call stored with its dial job awaits none
            args[i++] = WaitingField(call);

            // A call is created with at most its terminal event (blocked when queued).
            args[i++] = events is [var created, ..] ? created.Id : string.Empty;
            args[i++] = events is [var first, ..] ? RedisWebhookOutbox.Serialize(first) : string.Empty;
            args[i++] = call.Status.IsTerminal() ? 1 : 0;
            args[i++] = call.BatchId ?? string.Empty;
            args[i++] = call.CampaignId;
            args[i++] = CallTally.StatusField(call.Status);
            args[i++] = call.PhoneNumber;
            args[i++] = groups[n] ?? call.CallId;
            args[i++] = groups[n] is null ? now : call.CreatedAt.ToUnixTimeMilliseconds();
            args[i++] = groups[n] is null ? 0 : 1;
        }

        return args;
    }

    public async Task<bool> WithdrawAsync(CallRecord written, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(written);

        // Stored as created: with the event its creation recorded (a call stored blocked), which goes with it.
        var (stored, events) = _events.Derive(before: null, written, _time.GetUtcNow());
        var created = events.Count > 0 ? events[0].Id : null;
        var counts = (RedisKey)_keys.Counts;
        var group = written.BatchId is { } batchId ? CampaignIndexGroups.Member(written.CreatedAt.ToUnixTimeMilliseconds(), batchId) : null;
        RedisKey[] keys =
        [
            _keys.Call(written.CallId),
            _keys.Campaign(written.CampaignId),
            _keys.AwaitingJob,
            written.BatchId is null ? counts : _keys.Batch(written.BatchId),
            written.IdempotencyKey is null ? counts : _keys.Idempotency(written.IdempotencyKey),
            counts,
            _keys.BatchDone,
            created is null ? counts : _eventKeys.Event(created),
            created is null ? counts : _eventKeys.CallEvents(written.CallId),
            _eventKeys.Outbox,
            _eventKeys.Pending,
            _eventKeys.Index,
            _keys.CampaignTally(written.CampaignId),
            written.BatchId is null ? counts : _keys.BatchTally(written.BatchId),
            _keys.PhoneBucket(written.PhoneNumber),
            _keys.Phone(written.PhoneNumber),
            written.BatchId is null ? counts : _keys.CampaignGroup(written.CampaignId, group!),
        ];
        RedisValue[] values =
        [
            StoredCallJson.Write(stored),
            written.CallId,
            written.Status.ToWire(),
            written.BatchId is null ? 0 : 1,
            written.IdempotencyKey is null ? 0 : 1,
            WaitingField(written),
            created ?? string.Empty,
            written.Status.IsTerminal() ? 1 : 0,
            written.BatchId ?? string.Empty,
            CallTally.StatusField(written.Status),
            written.PhoneNumber,
            group ?? string.Empty,
        ];
        return (int)await Db.ScriptEvaluateAsync(WithdrawScript.ExecutableScript, keys, values) == 1;
    }

    public async Task<CallRecord?> GetAsync(string callId, CancellationToken cancellationToken) =>
        (await ReadAsync(_keys.Call(callId), callId)).Current;

    public async Task<IReadOnlyList<CallRecord>> GetManyAsync(IReadOnlyList<string> callIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(callIds);
        var batch = Db.CreateBatch();
        var reads = callIds.Select(id => (Id: id, Json: batch.StringGetAsync(_keys.Call(id)))).ToList();
        batch.Execute();
        var records = new List<CallRecord>(callIds.Count);
        foreach (var (id, read) in reads)
        {
            CallRecord? record;
            try
            {
                var json = await read;
                record = json.IsNull ? null : StoredCallJson.Read(json!, id);
            }
            catch (RedisServerException ex) when (IsLegacy(ex))
            {
                record = (await ReadAsync(_keys.Call(id), id)).Current;
            }

            if (record is not null)
            {
                records.Add(record);
            }
        }

        return records;
    }

    public async Task<CallRecord?> UpdateAsync(string callId, Func<CallRecord, CallRecord?> mutate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mutate);
        var key = _keys.Call(callId);
        for (var conflicts = 0; conflicts < MaxUpdateConflicts; conflicts++)
        {
            var (current, unchanged, legacy) = await ReadAsync(key, callId);
            if (current is null)
            {
                return null;
            }

            var updated = mutate(current);
            if (updated is null)
            {
                return current;
            }

            var now = _time.GetUtcNow();
            (updated, var events) = _events.Derive(current, updated with { UpdatedAt = now }, now);
            var transaction = Db.CreateTransaction();
            transaction.AddCondition(unchanged);
            if (legacy)
            {
                _ = transaction.KeyDeleteAsync(key); // a record of before issue 15 leaves its hash for today's string
            }

            _ = transaction.StringSetAsync(key, StoredCallJson.Write(updated));
            QueueIndexChanges(transaction, current, updated);
            foreach (var webhookEvent in events)
            {
                _outbox.QueueAdd(transaction, webhookEvent);
            }

            if (await transaction.ExecuteAsync())
            {
                return updated;
            }
        }

        throw new InvalidOperationException($"Call {callId} kept changing under {MaxUpdateConflicts} consecutive updates.");
    }

    // The record and the condition that it is still the one read: today's string is compared whole (every write changes
    // updated_at); a hash of before issue 15 by its version.
    private async Task<(CallRecord? Current, Condition Unchanged, bool Legacy)> ReadAsync(RedisKey key, string callId)
    {
        try
        {
            var json = await Db.StringGetAsync(key);
            return json.IsNull
                ? (null, Condition.KeyNotExists(key), false)
                : (StoredCallJson.Read(json!, callId), Condition.StringEqual(key, json), false);
        }
        catch (RedisServerException ex) when (IsLegacy(ex))
        {
            var stored = await Db.HashGetAsync(key, LegacyFields);
            return stored[0].IsNull
                ? (null, Condition.KeyNotExists(key), true)
                : (StoredCallJson.ReadLegacy(stored[0]!), Condition.HashEqual(key, LegacyVersionField, stored[1]), true);
        }
    }

    // A string command on a record stored before issue 15 (a hash).
    private static bool IsLegacy(RedisServerException ex) => ex.Message.StartsWith("WRONGTYPE", StringComparison.Ordinal);

    private void QueueIndexChanges(ITransaction transaction, CallRecord before, CallRecord after)
    {
        var lastActivity = after.UpdatedAt.ToUnixTimeMilliseconds();
        var deltas = CallTally.Deltas(before, after).ToList();
        foreach (var tally in TallyKeys(after))
        {
            foreach (var (field, delta) in deltas)
            {
                _ = transaction.HashIncrementAsync(tally, field, delta);
            }

            _ = transaction.HashSetAsync(tally, CallTally.LastField, lastActivity);
        }

        // The deployment's line time (ended attempts and their seconds), the ETA's prior for a campaign without history.
        foreach (var (field, delta) in deltas.Where(pair => pair.Field is CallTally.EndedField or CallTally.LineField))
        {
            _ = transaction.HashIncrementAsync(_keys.Counts, field, delta);
        }

        if (after.BatchId is { } batchId && before.Status.IsTerminal() != after.Status.IsTerminal())
        {
            _ = transaction.HashIncrementAsync(_keys.BatchDone, batchId, after.Status.IsTerminal() ? 1 : -1);
        }

        if (before.Status != after.Status)
        {
            _ = transaction.HashDecrementAsync(_keys.Counts, before.Status.ToWire());
            _ = transaction.HashIncrementAsync(_keys.Counts, after.Status.ToWire());
            if (after.Status.IsActive() && !before.Status.IsActive())
            {
                _ = transaction.SetAddAsync(_keys.Active, after.CallId);
            }
            else if (before.Status.IsActive() && !after.Status.IsActive())
            {
                _ = transaction.SetRemoveAsync(_keys.Active, after.CallId);
            }
        }

        var heldBefore = WaitingCounts.RuleOf(before);
        var heldAfter = WaitingCounts.RuleOf(after);
        if (heldBefore != heldAfter)
        {
            if (heldBefore is { } was)
            {
                _ = transaction.HashDecrementAsync(_keys.Counts, WaitingCounts.Field(was));
            }

            if (heldAfter is { } now)
            {
                _ = transaction.HashIncrementAsync(_keys.Counts, WaitingCounts.Field(now));
            }
        }

        if (before.JobId is null && after.JobId is not null)
        {
            _ = transaction.SortedSetRemoveAsync(_keys.AwaitingJob, after.CallId);
        }
    }

    public async Task<string?> AssignJobAsync(string callId, string jobId, CancellationToken cancellationToken)
    {
        var record = await UpdateAsync(callId, call => call.JobId is null ? call with { JobId = jobId } : null, cancellationToken);
        return record?.JobId;
    }

    public async Task<string?> AssignJobAsync(CallRecord stored, string jobId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (stored.JobId is null)
        {
            // The single enqueue's hot path: one script instead of HMGET, WATCH + HGET and MULTI/EXEC (issue 7).
            var (basis, json) = _created.TryGetValue(stored, out var created) ? (created.Record, created.Json) : (stored, StoredCallJson.Write(stored));
            var assigned = basis with { JobId = jobId, UpdatedAt = _time.GetUtcNow() };
            var written = await Db.ScriptEvaluateAsync(
                AssignJobScript.ExecutableScript,
                keys: [_keys.Call(stored.CallId), _keys.AwaitingJob],
                values: [json, StoredCallJson.Write(assigned), stored.CallId]);
            if ((int)written == 1)
            {
                return jobId;
            }
        }

        return await AssignJobAsync(stored.CallId, jobId, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> GetCallsAwaitingJobAsync(TimeSpan olderThan, int limit, CancellationToken cancellationToken)
    {
        var before = (_time.GetUtcNow() - olderThan).ToUnixTimeMilliseconds();
        var ids = await Db.SortedSetRangeByScoreAsync(_keys.AwaitingJob, double.NegativeInfinity, before, take: limit);
        return ids.Select(id => id.ToString()).ToList();
    }

    public async Task<BatchProgress> GetBatchProgressAsync(string batchId, CancellationToken cancellationToken)
    {
        var batch = Db.CreateBatch();
        var total = batch.ListLengthAsync(_keys.Batch(batchId));
        var ended = batch.HashGetAsync(_keys.BatchDone, batchId);
        batch.Execute();
        return new BatchProgress(await total, (long?)await ended ?? 0);
    }

    public async Task<IReadOnlyList<string>> GetBatchCallIdsAsync(string batchId, CancellationToken cancellationToken)
    {
        var ids = await Db.ListRangeAsync(_keys.Batch(batchId));
        return ids.Select(id => id.ToString()).ToList();
    }

    public async Task<string?> GetFirstBatchCallIdAsync(string batchId, CancellationToken cancellationToken) =>
        (await Db.ListGetByIndexAsync(_keys.Batch(batchId), 0)).ToString() is { Length: > 0 } id ? id : null;

    public async Task<IReadOnlyList<CampaignCallEntry>> GetCampaignCallIdsAsync(
        string campaignId, CampaignCursor? after, int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);

        // ZREVRANGEBYSCORE {p}:campaign:{id} <cursor ms, or +inf> -inf: an index walk, never a key scan. A group entry stands
        // for its list's calls (CampaignIndexGroups), newest first: the cursor's skip counts calls, so a group is skipped
        // whole by its length and entered by LRANGE at the right place; page 100 of a 10,000-call request reads one entry.
        // Not atomic: a call withdrawn from a group between its LLEN and LRANGE may shift that page by one.
        var index = _keys.Campaign(campaignId);
        var stop = after is { } at ? at.CreatedAtMs : double.PositiveInfinity;
        var skip = (long)(after?.Skip ?? 0);
        var page = new List<CampaignCallEntry>(Math.Min(count, 1_000));
        var offset = 0L;
        while (page.Count < count)
        {
            var take = (int)Math.Clamp(count - page.Count + skip, 16, 1_000);
            var entries = await Db.SortedSetRangeByScoreWithScoresAsync(
                index, start: double.NegativeInfinity, stop: stop, order: Order.Descending, skip: offset, take: take);
            offset += entries.Length;
            var lengths = await GroupLengthsAsync(campaignId, entries);
            for (var i = 0; i < entries.Length && page.Count < count; i++)
            {
                var (member, createdAtMs) = (entries[i].Element.ToString(), (long)entries[i].Score);
                var calls = lengths[i] ?? 1;
                if (skip >= calls)
                {
                    skip -= calls;
                    continue;
                }

                if (lengths[i] is null)
                {
                    page.Add(new CampaignCallEntry(member, createdAtMs));
                    continue;
                }

                // Newest first is the list backwards: its last (calls - 1 - skip) first.
                var last = calls - 1 - skip;
                var first = Math.Max(0, last - (count - page.Count) + 1);
                var ids = await Db.ListRangeAsync(_keys.CampaignGroup(campaignId, member), first, last);
                for (var j = ids.Length - 1; j >= 0; j--)
                {
                    page.Add(new CampaignCallEntry(ids[j].ToString(), createdAtMs));
                }

                skip = 0;
            }

            if (entries.Length < take)
            {
                break;
            }
        }

        return page;
    }

    // The number of calls each group entry stands for (null: a call's own entry), one pipelined LLEN per group.
    private async Task<long?[]> GroupLengthsAsync(string campaignId, SortedSetEntry[] entries)
    {
        var lengths = new long?[entries.Length];
        var batch = Db.CreateBatch();
        var reads = new Task<long>?[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            if (entries[i].Element.ToString() is var member && CampaignIndexGroups.IsGroup(member))
            {
                reads[i] = batch.ListLengthAsync(_keys.CampaignGroup(campaignId, member));
            }
        }

        if (reads.All(read => read is null))
        {
            return lengths;
        }

        batch.Execute();
        for (var i = 0; i < entries.Length; i++)
        {
            lengths[i] = reads[i] is { } read ? await read : null;
        }

        return lengths;
    }

    public async Task<IReadOnlyList<string>> GetActiveCallIdsAsync(int limit, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        if (limit <= 0)
        {
            return ids; // as the in-memory twin: the scan below would hand out one id before looking at the limit
        }

        await foreach (var id in Db.SetScanAsync(_keys.Active, pageSize: 500))
        {
            ids.Add(id.ToString());
            if (ids.Count >= limit)
            {
                break;
            }
        }

        return ids;
    }

    public async Task<IReadOnlyDictionary<CallStatus, long>> CountByStatusAsync(CancellationToken cancellationToken)
    {
        var entries = await Db.HashGetAllAsync(_keys.Counts);
        var counts = Enum.GetValues<CallStatus>().ToDictionary(status => status, _ => 0L);
        foreach (var entry in entries)
        {
            var status = Enum.GetValues<CallStatus>().FirstOrDefault(s => s.ToWire() == entry.Name, (CallStatus)(-1));
            if (status != (CallStatus)(-1))
            {
                counts[status] = (long)entry.Value;
            }
        }

        return counts;
    }

    public async Task<IReadOnlyDictionary<SafetyRule, long>> CountWaitingByReasonAsync(CancellationToken cancellationToken)
    {
        var rules = Enum.GetValues<SafetyRule>();
        var values = await Db.HashGetAsync(_keys.Counts, rules.Select(rule => (RedisValue)WaitingCounts.Field(rule)).ToArray());
        var counts = WaitingCounts.Empty();
        for (var i = 0; i < rules.Length; i++)
        {
            counts[rules[i]] = values[i].IsNull ? 0 : (long)values[i];
        }

        return counts;
    }

    public async Task<CallTally?> GetCampaignTallyAsync(string campaignId, CancellationToken cancellationToken) =>
        await ReadTallyAsync(_keys.CampaignTally(campaignId));

    public async Task<CallTally?> GetBatchTallyAsync(string batchId, CancellationToken cancellationToken) =>
        await ReadTallyAsync(_keys.BatchTally(batchId));

    public async Task<LineTime> GetLineTimeAsync(CancellationToken cancellationToken)
    {
        var values = await Db.HashGetAsync(_keys.Counts, [CallTally.EndedField, CallTally.LineField]);
        return new LineTime(values[0].IsNull ? 0 : (long)values[0], values[1].IsNull ? 0 : (long)values[1]);
    }

    public async Task<IReadOnlyList<string>> GetCampaignIdsAsync(long skip, int count, CancellationToken cancellationToken)
    {
        var ids = await Db.SortedSetRangeByRankAsync(_keys.Campaigns, skip, skip + count - 1, Order.Descending);
        return ids.Select(id => id.ToString()).ToList();
    }

    public async Task<IReadOnlyList<string>> FindCallIdsByPhoneNumberAsync(string phoneNumber, int limit, CancellationToken cancellationToken)
    {
        // A number's only call is in its bucket; a number called more than once (or indexed before issue 15) has its own
        // sorted set: one of the two.
        var batch = Db.CreateBatch();
        var only = batch.HashGetAsync(_keys.PhoneBucket(phoneNumber), phoneNumber);
        var several = batch.SortedSetRangeByRankAsync(_keys.Phone(phoneNumber), 0, limit - 1, Order.Descending);
        batch.Execute();
        var ids = (await several).Select(id => id.ToString()).ToList();
        return await only is { IsNull: false } id && limit > 0 ? [id.ToString(), .. ids.Take(limit - 1)] : ids;
    }

    private async Task<CallTally?> ReadTallyAsync(string key)
    {
        var entries = await Db.HashGetAllAsync(key);
        if (entries.Length == 0)
        {
            return null;
        }

        var fields = entries.ToDictionary(entry => entry.Name.ToString(), entry => (long)entry.Value, StringComparer.Ordinal);
        return CallTally.FromFields(fields, At(fields, CallTally.FirstField), At(fields, CallTally.LastField));

        static DateTimeOffset? At(Dictionary<string, long> fields, string field) =>
            fields.TryGetValue(field, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    private IEnumerable<RedisKey> TallyKeys(CallRecord call)
    {
        yield return _keys.CampaignTally(call.CampaignId);
        if (call.BatchId is { } batchId)
        {
            yield return _keys.BatchTally(batchId);
        }
    }

    public async Task<TimeSpan> PingAsync(CancellationToken cancellationToken) => await Db.PingAsync();

    private static string WaitingField(CallRecord call) => WaitingCounts.RuleOf(call) is { } rule ? WaitingCounts.Field(rule) : string.Empty;

    private sealed record Created(CallRecord Record, string Json);
}
