using System.Globalization;
using System.Text;

namespace CallQueue.Bench;

/// <summary>
/// Request bodies: the migration guide's single call, each with its own phone number (+91 91xxxxxxxx: valid Indian
/// mobiles) so every request creates a call. No Idempotency-Key.
/// </summary>
internal static class CallBodies
{
    private static int _next;

    public static string NextPhoneNumber() =>
        string.Create(CultureInfo.InvariantCulture, $"+9191{Interlocked.Increment(ref _next) % 100_000_000:D8}");

    public static string Single(string phoneNumber, string campaignId) => string.Create(
        CultureInfo.InvariantCulture,
        $$$"""{"phone_number":"{{{phoneNumber}}}","campaign_id":"{{{campaignId}}}","call_config":{"flow_name":"wishfin-test","answer_url":"https://your-domain.com/outbound-answer"}}""");

    /// <summary>
    /// A bulk batch as bench/bulk-ingest.sh sends it (flow name, answer URL, two variables per call), in campaign
    /// <paramref name="campaignId"/>; with <paramref name="scheduledAt"/>, every call waits for it.
    /// </summary>
    public static string Batch(string batchId, int calls, string campaignId = "bench", DateTimeOffset? scheduledAt = null)
    {
        var body = new StringBuilder(calls * 200);
        var scheduled = scheduledAt is { } at ? string.Create(CultureInfo.InvariantCulture, $"\"scheduled_at\":\"{at.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\",") : string.Empty;
        body.Append(CultureInfo.InvariantCulture, $$$"""{"batch_id":"{{{batchId}}}","calls":[""");
        for (var i = 0; i < calls; i++)
        {
            body.Append(i == 0 ? string.Empty : ",");
            body.Append(CultureInfo.InvariantCulture, $$"""{"phone_number":"{{NextPhoneNumber()}}",{{scheduled}}"campaign_id":"{{campaignId}}","call_config":{"flow_name":"wishfin-test","answer_url":"https://your-domain.com/outbound-answer","variables":{"name":"John Doe","row":{{i}}""").Append("}}}");
        }

        return body.Append("]}").ToString();
    }
}
