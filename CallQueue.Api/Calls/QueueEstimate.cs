namespace CallQueue.Api.Calls;

/// <summary>
/// A call's <c>queue_position</c> (1 = next to dial) and <c>estimated_execution</c>, both null for a call that will not be
/// dialed (see <see cref="QueuePositionEstimator"/>).
/// </summary>
public sealed record QueueEstimate(long? Position, DateTimeOffset? EstimatedExecution);
