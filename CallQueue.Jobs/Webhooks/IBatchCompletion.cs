namespace CallQueue.Jobs.Webhooks;

/// <summary>
/// Records <c>batch.completed</c> once every call of a bulk batch has ended (once per batch: a re-check finds it
/// recorded). Asked by the delivery job of every terminal event of a batched call, so the check is as durable as the
/// event: a process that dies right after the batch's last call ended still leaves a job that asks.
/// </summary>
public interface IBatchCompletion
{
    Task CheckAsync(string batchId, CancellationToken cancellationToken);
}
