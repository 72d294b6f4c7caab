using System.Globalization;

namespace CallQueue.Api.Callbacks;

/// <summary>One verified callback: our call id and attempt (from the URL) and Plivo's form fields.</summary>
internal sealed record PlivoCallback(string CallId, int Attempt, IReadOnlyDictionary<string, string> Fields)
{
    public string? Field(string name) => Fields.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    public int? Int(string name) =>
        int.TryParse(Field(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
