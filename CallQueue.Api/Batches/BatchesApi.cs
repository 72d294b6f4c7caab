using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Campaigns;
using CallQueue.Jobs.Storage;

namespace CallQueue.Api.Batches;

/// <summary>GET /api/batches/{batch_id}: a bulk batch's calls counted by status, its state and ETA; 404 for a batch nobody queued.</summary>
public static class BatchesApi
{
    // Records read per round trip; a 10,000-call batch takes 20.
    private const int ReadChunk = 500;

    public static IEndpointRouteBuilder MapBatchesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/batches/{batchId}", GetAsync).WithTags("Batches").WithName("GetBatch");
        return app;
    }

    private static async Task<IResult> GetAsync(string batchId, ICallStore store, CampaignProgressReader progress, CancellationToken cancellationToken)
    {
        var ids = await store.GetBatchCallIdsAsync(batchId, cancellationToken);
        if (ids.Count == 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Batch not found", detail: $"No batch with batch_id '{batchId}'.");
        }

        var counts = Enum.GetValues<CallStatus>().ToDictionary(status => status, _ => 0);
        var total = 0;
        var jobsCreated = 0;
        foreach (var chunk in ids.Chunk(ReadChunk))
        {
            foreach (var call in await store.GetManyAsync(chunk, cancellationToken))
            {
                total++;
                counts[call.Status]++;
                jobsCreated += call.JobId is null ? 0 : 1;
            }
        }

        var state = await progress.GetAsync(ControlTarget.Batch(batchId), cancellationToken);
        return TypedResults.Ok(new BatchStatusResponse(
            batchId,
            total,
            counts.ToDictionary(pair => pair.Key.ToWire(), pair => pair.Value),
            jobsCreated,
            AwaitingJob: total - jobsCreated,
            Finished: counts.Where(pair => pair.Key.IsTerminal()).Sum(pair => pair.Value),
            State: (state?.State ?? CampaignState.Active).ToWire(),
            Eta: state?.Eta));
    }
}
