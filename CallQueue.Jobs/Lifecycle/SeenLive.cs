namespace CallQueue.Jobs.Lifecycle;

/// <summary>The reconciler saw the call in progress at Plivo (its hangup callback has not come yet).</summary>
public sealed record SeenLive : CallEvent;
