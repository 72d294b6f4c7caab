using System.Globalization;
using CallQueue.Jobs.Configuration;

namespace CallQueue.Jobs.Dialing;

/// <summary>The URLs Plivo calls back for one attempt: PUBLIC_BASE_URL + /api/plivo/{event} carrying the call id and attempt.</summary>
public static class CallbackUrls
{
    public const string RingPath = "/api/plivo/ring";
    public const string HangupPath = "/api/plivo/hangup";
    public const string MachinePath = "/api/plivo/machine";

    public static string For(PlivoOptions options, string path, string callId, int attempt)
    {
        ArgumentNullException.ThrowIfNull(options);
        var baseUrl = (options.PublicBaseUrl ?? throw new InvalidOperationException("PUBLIC_BASE_URL is not set.")).TrimEnd('/');
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{baseUrl}{path}?call_id={Uri.EscapeDataString(callId)}&attempt={attempt}");
    }
}
