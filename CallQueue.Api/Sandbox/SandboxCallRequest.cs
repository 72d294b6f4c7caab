using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace CallQueue.Api.Sandbox;

/// <summary>The make-call fields the sandbox understands, validated like Plivo would (400 with an error text).</summary>
internal sealed record SandboxCallRequest
{
    public required string From { get; init; }

    public required string To { get; init; }

    public required string AnswerUrl { get; init; }

    public string? RingUrl { get; init; }

    public string RingMethod { get; init; } = "POST";

    public string? HangupUrl { get; init; }

    public string HangupMethod { get; init; } = "POST";

    public int? TimeLimit { get; init; }

    public int? RingTimeout { get; init; }

    public string? CallerName { get; init; }

    /// <summary><c>true</c> or <c>hangup</c>; null when not requested.</summary>
    public string? MachineDetection { get; init; }

    public string? MachineDetectionUrl { get; init; }

    public string MachineDetectionMethod { get; init; } = "POST";

    public int? MachineDetectionTimeMs { get; init; }

    /// <summary>From <c>sip_headers</c> (<c>k1=v1,k2=v2</c>); echoed as <c>X-PH-k1</c> in callbacks.</summary>
    public IReadOnlyDictionary<string, string> SipHeaders { get; init; } = new Dictionary<string, string>();

    public static bool TryParse(JsonElement root, [NotNullWhen(true)] out SandboxCallRequest? request, [NotNullWhen(false)] out string? error)
    {
        request = null;
        var reader = new FieldReader(root);
        var from = reader.Text("from");
        var to = reader.Text("to");
        var answerUrl = reader.Text("answer_url");
        error = (from, to, answerUrl) switch
        {
            (null, _, _) => "from is a mandatory parameter",
            (_, null, _) => "to is a mandatory parameter",
            (_, _, null) => "answer_url is a mandatory parameter",
            _ => null,
        };
        error ??= to!.Contains('<', StringComparison.Ordinal) ? "the sandbox takes one destination per request" : null;
        error ??= reader.CheckUrl("answer_url") ?? reader.CheckUrl("ring_url") ?? reader.CheckUrl("hangup_url")
            ?? reader.CheckUrl("machine_detection_url") ?? reader.CheckUrl("fallback_url");
        error ??= reader.CheckMethod("answer_method") ?? reader.CheckMethod("ring_method")
            ?? reader.CheckMethod("hangup_method") ?? reader.CheckMethod("machine_detection_method");
        var machineDetection = reader.Text("machine_detection")?.ToLowerInvariant();
        error ??= machineDetection is null or "true" or "hangup" ? null : "machine_detection must be true or hangup";
        var timeLimit = reader.Integer("time_limit", 1, 86_400);
        var ringTimeout = reader.Integer("ring_timeout", 0, 86_400);
        var detectionTime = reader.Integer("machine_detection_time", 2_000, 10_000);
        error ??= reader.Error;
        if (error is not null)
        {
            return false;
        }

        request = new SandboxCallRequest
        {
            From = from!,
            To = to!,
            AnswerUrl = answerUrl!,
            RingUrl = reader.Text("ring_url"),
            RingMethod = reader.Method("ring_method"),
            HangupUrl = reader.Text("hangup_url"),
            HangupMethod = reader.Method("hangup_method"),
            TimeLimit = timeLimit,
            RingTimeout = ringTimeout,
            CallerName = reader.Text("caller_name"),
            MachineDetection = machineDetection,
            MachineDetectionUrl = reader.Text("machine_detection_url"),
            MachineDetectionMethod = reader.Method("machine_detection_method"),
            MachineDetectionTimeMs = detectionTime,
            SipHeaders = ParseSipHeaders(reader.Text("sip_headers")),
        };
        return true;
    }

    private static Dictionary<string, string> ParseSipHeaders(string? value)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                headers["X-PH-" + pair[..equals]] = pair[(equals + 1)..];
            }
        }

        return headers;
    }

    /// <summary>Reads top-level fields tolerantly (numbers may come as strings) and remembers the first error.</summary>
    private sealed class FieldReader(JsonElement root)
    {
        public string? Error { get; private set; }

        public string? Text(string name)
        {
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(name, out var value))
            {
                return null;
            }

            var text = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
                _ => null,
            };
            return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        }

        public string Method(string name) => Text(name)?.ToUpperInvariant() ?? "POST";

        public string? CheckUrl(string name)
        {
            var text = Text(name);
            return text is null
                || (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
                ? null
                : name + " is not a valid URL";
        }

        public string? CheckMethod(string name) =>
            Text(name)?.ToUpperInvariant() is null or "GET" or "POST" ? null : name + " must be GET or POST";

        public int? Integer(string name, int min, int max)
        {
            var text = Text(name);
            if (text is null)
            {
                return null;
            }

            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
            {
                return number;
            }

            Error ??= string.Create(CultureInfo.InvariantCulture, $"{name} must be an integer from {min} to {max}");
            return null;
        }
    }
}
