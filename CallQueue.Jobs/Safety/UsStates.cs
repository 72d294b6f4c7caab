using System.Collections.Frozen;

namespace CallQueue.Jobs.Safety;

/// <summary>The US state of a number from libphonenumber's English geocoder description: "Tallahassee, FL" or a bare state name such as "Kentucky".</summary>
public static class UsStates
{
    private static readonly FrozenDictionary<string, string> CodesByName = new Dictionary<string, string>
    {
        ["Alabama"] = "AL", ["Alaska"] = "AK", ["Arizona"] = "AZ", ["Arkansas"] = "AR", ["California"] = "CA",
        ["Colorado"] = "CO", ["Connecticut"] = "CT", ["Delaware"] = "DE", ["District of Columbia"] = "DC",
        ["Washington D.C."] = "DC", ["Florida"] = "FL", ["Georgia"] = "GA", ["Hawaii"] = "HI", ["Idaho"] = "ID",
        ["Illinois"] = "IL", ["Indiana"] = "IN", ["Iowa"] = "IA", ["Kansas"] = "KS", ["Kentucky"] = "KY",
        ["Louisiana"] = "LA", ["Maine"] = "ME", ["Maryland"] = "MD", ["Massachusetts"] = "MA", ["Michigan"] = "MI",
        ["Minnesota"] = "MN", ["Mississippi"] = "MS", ["Missouri"] = "MO", ["Montana"] = "MT", ["Nebraska"] = "NE",
        ["Nevada"] = "NV", ["New Hampshire"] = "NH", ["New Jersey"] = "NJ", ["New Mexico"] = "NM", ["New York"] = "NY",
        ["North Carolina"] = "NC", ["North Dakota"] = "ND", ["Ohio"] = "OH", ["Oklahoma"] = "OK", ["Oregon"] = "OR",
        ["Pennsylvania"] = "PA", ["Rhode Island"] = "RI", ["South Carolina"] = "SC", ["South Dakota"] = "SD",
        ["Tennessee"] = "TN", ["Texas"] = "TX", ["Utah"] = "UT", ["Vermont"] = "VT", ["Virginia"] = "VA",
        ["Washington"] = "WA", ["West Virginia"] = "WV", ["Wisconsin"] = "WI", ["Wyoming"] = "WY",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string> Codes = CodesByName.Values.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The two-letter code, or null when the description names no state (toll-free numbers have none).</summary>
    public static string? FromGeocoderDescription(string? description)
    {
        var text = description?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var comma = text.LastIndexOf(',');
        if (comma >= 0)
        {
            var code = text[(comma + 1)..].Trim();
            return Codes.Contains(code) ? code : null;
        }

        return CodesByName.GetValueOrDefault(text);
    }
}
