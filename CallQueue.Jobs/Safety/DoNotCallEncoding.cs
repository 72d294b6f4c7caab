using System.Globalization;
using System.Text;

namespace CallQueue.Jobs.Safety;

/// <summary>
/// How a number's entries are stored in its bucket field, short enough that a bucket stays a listpack:
/// <list type="bullet">
/// <item>The common case, one global entry added through the API without a reason: the minute it was added at, as
/// whole minutes since 2020-01-01 UTC in decimal, nothing else (<c>3595290</c>). Redis stores such a value as an integer:
/// 5 bytes in the listpack until 2035 (a 24-bit integer), 6 after.</item>
/// <item>Otherwise entries separated by <c>\x1e</c>, each <c>scope \x1f minutes [\x1f source [\x1f reason]]</c>: scope is
/// empty for global, else the campaign id; source is empty for the API, <c>g</c> for the agent; trailing empty parts
/// are left out. A global entry with the reason "customer request" takes 28 bytes.</item>
/// <item>An encoding longer than <see cref="InlineMaxBytes"/> is stored in the side hash (<see cref="DoNotCallKeys.Long"/>)
/// and the field holds <see cref="SideMarker"/>.</item>
/// </list>
/// Campaign ids and reasons cannot hold the separators: both refuse control characters.
/// </summary>
internal static class DoNotCallEncoding
{
    public const char EntrySeparator = '\x1e';
    public const char PartSeparator = '\x1f';

    /// <summary>The bucket field's value when the entries are in the side hash.</summary>
    public const string SideMarker = "\x1d";

    /// <summary>Longest encoding kept in the bucket (UTF-8 bytes); Redis turns a hash into a hashtable above 64.</summary>
    public const int InlineMaxBytes = 48;

    private const string AgentSource = "g";

    /// <summary>Times are whole minutes since this instant: small enough for Redis's 24-bit integers until 2035.</summary>
    private static readonly DateTimeOffset Epoch = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static string Encode(IReadOnlyList<DoNotCallEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries is [{ CampaignId: null, Reason: null, Source: DoNotCallSource.Api } only] && only.AddedAt > Epoch)
        {
            return Minutes(only.AddedAt);
        }

        var text = new StringBuilder();
        foreach (var entry in Sorted(entries))
        {
            if (text.Length > 0)
            {
                text.Append(EntrySeparator);
            }

            CheckText(entry.CampaignId);
            CheckText(entry.Reason);
            var parts = new List<string>(4) { entry.CampaignId ?? string.Empty, Minutes(entry.AddedAt), entry.Source == DoNotCallSource.Agent ? AgentSource : string.Empty, entry.Reason ?? string.Empty };
            while (parts[^1].Length == 0)
            {
                parts.RemoveAt(parts.Count - 1);
            }

            text.AppendJoin(PartSeparator, parts);
        }

        return text.ToString();
    }

    public static IReadOnlyList<DoNotCallEntry> Decode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            return [];
        }

        if (!value.AsSpan().ContainsAnyExceptInRange('0', '9'))
        {
            return [new DoNotCallEntry(null, null, DoNotCallSource.Api, FromMinutes(value))];
        }

        return Sorted(value.Split(EntrySeparator).Select(DecodeEntry)).ToList();
    }

    /// <summary>One entry as <see cref="DoNotCallScripts.Check"/> returns it: the integer form or one text entry.</summary>
    public static DoNotCallEntry DecodeEntry(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.AsSpan().ContainsAnyExceptInRange('0', '9'))
        {
            return new DoNotCallEntry(null, null, DoNotCallSource.Api, FromMinutes(text));
        }

        var parts = text.Split(PartSeparator, 4);
        return new DoNotCallEntry(
            parts[0].Length == 0 ? null : parts[0],
            parts.Length > 3 && parts[3].Length > 0 ? parts[3] : null,
            parts.Length > 2 && parts[2] == AgentSource ? DoNotCallSource.Agent : DoNotCallSource.Api,
            FromMinutes(parts[1]));
    }

    public static bool FitsInline(string encoded) => Encoding.UTF8.GetByteCount(encoded) <= InlineMaxBytes;

    /// <summary>Global first, then campaigns in ordinal order: one order for both twins and for the check's "global wins".</summary>
    public static IEnumerable<DoNotCallEntry> Sorted(IEnumerable<DoNotCallEntry> entries) =>
        entries.OrderBy(entry => entry.CampaignId is not null).ThenBy(entry => entry.CampaignId, StringComparer.Ordinal);

    /// <summary>Entries keep the whole minute they were added in (what the store holds), in UTC.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset at) => Epoch.AddMinutes(WholeMinutes(at));

    private static long WholeMinutes(DateTimeOffset at) => (long)Math.Floor((at - Epoch).TotalMinutes);

    private static string Minutes(DateTimeOffset at) => WholeMinutes(at).ToString(CultureInfo.InvariantCulture);

    private static DateTimeOffset FromMinutes(string text) =>
        Epoch.AddMinutes(long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));

    private static void CheckText(string? text)
    {
        if (text is not null && (text.Length == 0 || text.Any(char.IsControl)))
        {
            throw new ArgumentException("Campaign ids and reasons must be non-empty and hold no control characters.", nameof(text));
        }
    }
}
