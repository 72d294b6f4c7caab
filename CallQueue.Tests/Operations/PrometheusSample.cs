namespace CallQueue.Tests.Operations;

/// <summary>One sample of a parsed exposition: its series name, labels (unescaped) and value.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
