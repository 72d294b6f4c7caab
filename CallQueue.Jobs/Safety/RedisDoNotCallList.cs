using StackExchange.Redis;

namespace CallQueue.Jobs.Safety;

/// <summary>
/// The do-not-call list in Redis (layout: <see cref="DoNotCallKeys"/>). Changes read the numbers' values, work out the
/// new ones here (the encoding has one home, <see cref="DoNotCallEncoding"/>) and write them with one compare-and-set
/// script per chunk; a number changed meanwhile is read and decided again.
/// </summary>
public sealed class RedisDoNotCallList : IDoNotCallList
{
    // Numbers per round trip: 100,000 numbers take 100 reads and 100 writes, pipelined.
    private const int Chunk = 1_000;
    private const int MaxConflicts = 50;

    private readonly IConnectionMultiplexer _redis;
    private readonly DoNotCallKeys _keys;

    public RedisDoNotCallList(IConnectionMultiplexer redis, string keyPrefix)
    {
        _redis = redis;
        _keys = new DoNotCallKeys(keyPrefix);
    }

    private IDatabase Db => _redis.GetDatabase();

    public async Task<IReadOnlyList<bool>> AddAsync(IReadOnlyList<string> phoneNumbers, DoNotCallEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(phoneNumbers);
        ArgumentNullException.ThrowIfNull(entry);
        entry = entry with { AddedAt = DoNotCallEncoding.Truncate(entry.AddedAt) };
        DoNotCallEncoding.Encode([entry]); // refuses a campaign id or reason the encoding cannot hold, before anything is written
        var distinct = phoneNumbers.Distinct(StringComparer.Ordinal).ToList();
        var added = await UpdateAsync(distinct, entries => entries.Any(entry.SameScope) ? null : [.. entries, entry], cancellationToken);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return phoneNumbers.Select(number => seen.Add(number) && added[number]).ToList();
    }

    public async Task<IReadOnlyList<DoNotCallEntry>> GetAsync(string phoneNumber, CancellationToken cancellationToken)
    {
        var stored = (await ReadAsync([phoneNumber]))[0];
        return DoNotCallEncoding.Decode(Entries(stored));
    }

    public async Task<bool> RemoveAsync(string phoneNumber, string? campaignId, CancellationToken cancellationToken)
    {
        var scope = new DoNotCallEntry(campaignId, null, DoNotCallSource.Api, default);
        var removed = await UpdateAsync([phoneNumber], entries => entries.Any(scope.SameScope) ? entries.Where(e => !e.SameScope(scope)).ToList() : null, cancellationToken);
        return removed[phoneNumber];
    }

    public async Task<DoNotCallEntry?> IsBlockedAsync(string phoneNumber, string? campaignId, CancellationToken cancellationToken)
    {
        RedisKey[] keys = [_keys.Bucket(phoneNumber), _keys.Long];
        RedisValue[] args = [DoNotCallKeys.Field(phoneNumber), DoNotCallKeys.Digits(phoneNumber), campaignId ?? string.Empty];
        var found = await Db.ScriptEvaluateAsync(DoNotCallScripts.Check.ExecutableScript, keys, args);
        return found.IsNull || found.Resp2Type == ResultType.Integer ? null : DoNotCallEncoding.DecodeEntry((string)found!);
    }

    public async Task<IReadOnlyList<DoNotCallEntry?>> IsBlockedAsync(
        IReadOnlyList<(string PhoneNumber, string? CampaignId)> calls, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(calls);

        // Each distinct number read once; the chunks' reads are all sent before the first answer is awaited.
        var numbers = calls.Select(call => call.PhoneNumber).Distinct(StringComparer.Ordinal).ToList();
        var reads = numbers.Chunk(Chunk).Select(ReadAsync).ToList();
        var entries = new Dictionary<string, IReadOnlyList<DoNotCallEntry>>(numbers.Count, StringComparer.Ordinal);
        var n = 0;
        foreach (var read in reads)
        {
            foreach (var stored in await read)
            {
                entries[numbers[n++]] = DoNotCallEncoding.Decode(Entries(stored));
            }
        }

        return calls.Select(call => entries[call.PhoneNumber].FirstOrDefault(entry => entry.Blocks(call.CampaignId))).ToList();
    }

    /// <summary>
    /// Applies <paramref name="change"/> (null: leave the number as it is) to each distinct number. Per number: true when
    /// it was changed.
    /// </summary>
    private async Task<Dictionary<string, bool>> UpdateAsync(
        List<string> phoneNumbers, Func<IReadOnlyList<DoNotCallEntry>, IReadOnlyList<DoNotCallEntry>?> change, CancellationToken cancellationToken)
    {
        var results = new Dictionary<string, bool>(phoneNumbers.Count, StringComparer.Ordinal);
        var pending = phoneNumbers.Chunk(Chunk).Select(chunk => (IReadOnlyList<string>)chunk).ToList();
        for (var round = 0; pending.Count > 0; round++)
        {
            if (round > MaxConflicts)
            {
                throw new InvalidOperationException($"Do-not-call entries kept changing under {MaxConflicts} writes in a row; try again.");
            }

            cancellationToken.ThrowIfCancellationRequested();
            var reads = pending.Select(ReadAsync).ToList();
            var writes = new List<(IReadOnlyList<string> Numbers, Task<RedisResult> Written)>();
            for (var c = 0; c < pending.Count; c++)
            {
                var stored = await reads[c];
                var numbers = new List<string>();
                var keys = new List<RedisKey> { _keys.Long };
                var args = new List<RedisValue>();
                for (var i = 0; i < pending[c].Count; i++)
                {
                    var number = pending[c][i];
                    var next = change(DoNotCallEncoding.Decode(Entries(stored[i])));
                    if (next is null)
                    {
                        results[number] = false;
                        continue;
                    }

                    var encoded = next.Count == 0 ? string.Empty : DoNotCallEncoding.Encode(next);
                    var inline = DoNotCallEncoding.FitsInline(encoded);
                    numbers.Add(number);
                    keys.Add(_keys.Bucket(number));
                    args.AddRange([DoNotCallKeys.Field(number), DoNotCallKeys.Digits(number), stored[i], inline ? encoded : DoNotCallEncoding.SideMarker, inline ? string.Empty : encoded]);
                }

                if (numbers.Count > 0)
                {
                    writes.Add((numbers, Db.ScriptEvaluateAsync(DoNotCallScripts.CompareAndSet.ExecutableScript, [.. keys], [.. args])));
                }
            }

            var conflicts = new List<string>();
            foreach (var (numbers, written) in writes)
            {
                var flags = (int[])(await written)!;
                for (var i = 0; i < numbers.Count; i++)
                {
                    if (flags[i] == 1)
                    {
                        results[numbers[i]] = true;
                    }
                    else
                    {
                        conflicts.Add(numbers[i]);
                    }
                }
            }

            pending = conflicts.Chunk(Chunk).Select(chunk => (IReadOnlyList<string>)chunk).ToList();
        }

        return results;
    }

    /// <summary>Each number's stored value as the compare-and-set script sees it: '' when absent, marker + side value when kept aside.</summary>
    private async Task<string[]> ReadAsync(IReadOnlyList<string> phoneNumbers)
    {
        var batch = Db.CreateBatch();
        var reads = phoneNumbers.Select(number => batch.HashGetAsync(_keys.Bucket(number), DoNotCallKeys.Field(number))).ToList();
        batch.Execute();
        var values = new string[phoneNumbers.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var value = await reads[i];
            values[i] = value.IsNull ? string.Empty : value!;
            if (values[i] == DoNotCallEncoding.SideMarker)
            {
                values[i] += (string?)await Db.HashGetAsync(_keys.Long, DoNotCallKeys.Digits(phoneNumbers[i]));
            }
        }

        return values;
    }

    private static string Entries(string stored) =>
        stored.StartsWith(DoNotCallEncoding.SideMarker, StringComparison.Ordinal) ? stored[DoNotCallEncoding.SideMarker.Length..] : stored;
}
