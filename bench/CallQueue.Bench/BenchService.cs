namespace CallQueue.Bench;

/// <summary>One service process of a <see cref="BenchHost"/>: where it answers and its process id (for /proc).</summary>
internal sealed record BenchService(Uri BaseAddress, int Pid);
