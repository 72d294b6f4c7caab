using System.Globalization;

namespace CallQueue.Bench;

/// <summary><c>--name value</c> pairs after the scenario name, with defaults.</summary>
internal sealed class BenchArgs
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public BenchArgs(IEnumerable<string> args)
    {
        using var items = args.GetEnumerator();
        while (items.MoveNext())
        {
            var name = items.Current;
            if (!name.StartsWith("--", StringComparison.Ordinal) || !items.MoveNext())
            {
                throw new ArgumentException($"expected --name value, got '{name}'");
            }

            _values[name[2..]] = items.Current;
        }
    }

    public int Int(string name, int fallback) =>
        _values.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) =>
        _values.TryGetValue(name, out var text) ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public string Text(string name, string fallback) => _values.GetValueOrDefault(name, fallback);
}
