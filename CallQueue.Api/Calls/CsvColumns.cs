namespace CallQueue.Api.Calls;

/// <summary>
/// The columns of a CSV batch (README "Bulk"): each known column is a field of a call request (header names in any
/// case); any other column, or <c>var.&lt;name&gt;</c>, is a <c>call_config.variables</c> entry. Errors name columns, so
/// the validator's wire paths are translated back here.
/// </summary>
internal static class CsvColumns
{
    public const string PhoneNumber = "phone_number";
    public const string CampaignId = "campaign_id";
    public const string AnswerUrl = "answer_url";
    public const string FlowName = "flow_name";
    public const string Priority = "priority";
    public const string ScheduledAt = "scheduled_at";
    public const string CustomCallId = "custom_call_id";
    public const string MaxRetries = "max_retries";
    public const string ExpiresAt = "expires_at";
    public const string Timezone = "timezone";

    /// <summary>Columns named <c>var.name</c> go to <c>call_config.variables.name</c> (also when the name is a known column's).</summary>
    public const string VariablePrefix = "var.";

    /// <summary>What errors about <c>call_config.variables</c> as a whole (its size) name: the variable columns together.</summary>
    public const string Variables = "var.*";

    public static readonly IReadOnlyList<string> Known =
        [PhoneNumber, CampaignId, AnswerUrl, FlowName, Priority, ScheduledAt, CustomCallId, MaxRetries, ExpiresAt, Timezone];

    private const string CallConfigPrefix = "call_config.";

    /// <summary>The column (or query parameter) a request's wire path comes from: <c>call_config.answer_url</c> → <c>answer_url</c>.</summary>
    public static string ColumnOf(string path) => path switch
    {
        "call_config" => AnswerUrl, // only when answer_url is missing altogether
        "call_config.variables" => Variables,
        _ when path.StartsWith(CallConfigPrefix, StringComparison.Ordinal) => path[CallConfigPrefix.Length..],
        _ => path,
    };
}
