using System.Collections.Frozen;
using System.Text.Json;

namespace CallQueue.Jobs.Storage;

/// <summary>
/// The short property names of a call record in Redis (issue 15: a queued call's record is most of its memory, and its
/// API names are a third of its JSON). Storage only: the HTTP API keeps its snake_case names (<see cref="Calls.CallJson"/>).
/// A stored format: a name here is never changed or given to another property, or records written before could no longer
/// be read. A property without an entry keeps its snake_case name (a new property works before anyone shortens it).
/// </summary>
internal sealed class StoredCallNames : JsonNamingPolicy
{
    private static readonly FrozenDictionary<string, string> Names = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // CallRecord
        ["CallId"] = "id",
        ["PhoneNumber"] = "to",
        ["CampaignId"] = "cmp",
        ["Config"] = "cfg",
        ["Priority"] = "pri",
        ["MaxRetries"] = "mr",
        ["Status"] = "st",
        ["BatchId"] = "bat",
        ["IdempotencyKey"] = "ik",
        ["CreatedAt"] = "ca",
        ["UpdatedAt"] = "ua",
        ["ScheduledAt"] = "sa",
        ["ExpiresAt"] = "xa",
        ["NextAttemptAt"] = "na",
        ["JobId"] = "job",
        ["StatusReason"] = "why",
        ["Attempts"] = "att",
        ["AttemptOffset"] = "ao",
        ["TraceParent"] = "tp",
        ["EventSequence"] = "seq",

        // CallConfig
        ["FlowName"] = "flow",
        ["AnswerUrl"] = "url",
        ["AnswerMethod"] = "am",
        ["Variables"] = "vars",
        ["RetryDelaySeconds"] = "rd",

        // CallAttempt (JobId as above)
        ["Number"] = "n",
        ["StartedAt"] = "sta",
        ["ClaimToken"] = "ct",
        ["SentAt"] = "snt",
        ["RequestUuid"] = "rq",
        ["CallUuid"] = "cu",
        ["AcceptedAt"] = "aca",
        ["RingingAt"] = "ra",
        ["AnsweredAt"] = "ans",
        ["EndedAt"] = "ea",
        ["ResultSource"] = "rs",
        ["Outcome"] = "out",
        ["HangupCause"] = "hc",
        ["HangupCauseName"] = "hcn",
        ["HangupSource"] = "hs",
        ["HangupCauseCode"] = "hcc",
        ["Duration"] = "dur",
        ["BillDuration"] = "bd",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static StoredCallNames Instance { get; } = new();

    public override string ConvertName(string name) => Names.TryGetValue(name, out var stored) ? stored : SnakeCaseLower.ConvertName(name);
}
