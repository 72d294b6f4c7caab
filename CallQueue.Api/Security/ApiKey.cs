namespace CallQueue.Api.Security;

/// <summary>
/// One entry of API_KEYS: <c>name:key</c>, or a bare key named after its position (<c>key-1</c>, <c>key-2</c>, …). The
/// name is what logs show for the client; the secret never appears anywhere.
/// </summary>
public sealed record ApiKey(string Name, string Secret)
{
    /// <summary>Parses an entry at <paramref name="index"/> (from 0): text before the first ':' is the name, when there is one.</summary>
    public static ApiKey Parse(string entry, int index)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var separator = entry.IndexOf(':', StringComparison.Ordinal);
        return separator > 0
            ? new ApiKey(entry[..separator], entry[(separator + 1)..])
            : new ApiKey(FormattableString.Invariant($"key-{index + 1}"), entry);
    }

    /// <summary>Never the secret.</summary>
    public override string ToString() => Name;
}
