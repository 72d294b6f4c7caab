namespace CallQueue.Jobs.Lifecycle;

/// <summary>
/// An operator's requeue ("dial this call again") from <paramref name="Via"/> ("dashboard", "API"). With
/// <paramref name="ByJob"/> (the dashboard's Requeue of that job) a call of another job, or one that has not ended, is
/// left alone without a refusal: the job runs and its own checks apply. With <paramref name="DetachJob"/> the call forgets
/// its job (it had expired) and gets a new one.
/// </summary>
public sealed record RequeueCall(string Via, string? ByJob = null, bool DetachJob = false) : CallEvent;
