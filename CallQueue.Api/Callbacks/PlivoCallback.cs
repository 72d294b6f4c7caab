using System.Globalization;
using CallQueue.Jobs.Lifecycle;

namespace CallQueue.Api.Callbacks;

/// <summary>One verified callback: our call id and attempt (from the URL) and Plivo's form fields.</summary>
internal sealed record PlivoCallback(string CallId, int Attempt, IReadOnlyDictionary<string, string> Fields)
{
    public string? Field(string name) => Fields.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>The Plivo call the callback speaks of (<c>RequestUUID</c>, <c>CallUUID</c>).</summary>
    public PlivoCallIds PlivoCall => new(Field("RequestUUID"), Field("CallUUID"));

    public int? Int(string name) =>
        int.TryParse(Field(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
