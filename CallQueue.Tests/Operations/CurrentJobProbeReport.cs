namespace CallQueue.Tests.Operations;

/// <summary>
/// What a <see cref="CurrentJobProbe"/> run saw: the id of the job CurrentJob named before its first await, after an
/// await that resumed on the worker's thread and after one that resumed on the thread pool; and whether the run's
/// shutdown token was the CancellationToken Hangfire passed it.
/// </summary>
public sealed record CurrentJobProbeReport(string? Before, string? AfterYield, string? OnThreadPool, bool ShutdownTokenPassed);
