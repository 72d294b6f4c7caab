namespace CallQueue.Api.Calls;

/// <summary>
/// A bulk request as read from its body, JSON or CSV: the request the shared validation and queuing take, how its items
/// are named, and (CSV) the items whose cells could not even become a request field, by index and wire path.
/// </summary>
internal sealed record BulkBatch(
    BulkQueueRequest Request,
    BulkItemNaming Naming,
    IReadOnlyDictionary<int, IDictionary<string, string[]>>? ReadErrors = null);
