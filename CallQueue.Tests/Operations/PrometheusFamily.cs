namespace CallQueue.Tests.Operations;

/// <summary>One metric family of a parsed exposition: name (counters without <c>_total</c>), type and samples.</summary>
public sealed record PrometheusFamily(string Name, string Type, IReadOnlyList<PrometheusSample> Samples);
