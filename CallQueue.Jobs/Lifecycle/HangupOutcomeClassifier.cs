using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Lifecycle;

/// <summary>
/// Maps Plivo's CallStatus, hangup cause code, AnswerTime and BillDuration to an outcome and a retry decision
/// (DESIGN.md §3; reference/plivo-voice-api.md §4.4–4.5). The cause code decides first, because CallStatus on the hangup
/// of an unanswered call is not reported consistently; an answer time or billed seconds mean someone picked up.
/// </summary>
public static class HangupOutcomeClassifier
{
    // Retried: the callee may pick up later. Never retried: answered, invalid or barred numbers, rejections.
    private static readonly Dictionary<int, (CallOutcome Outcome, bool Retryable)> ByCode = new()
    {
        [1000] = (CallOutcome.Cancelled, false),
        [1010] = (CallOutcome.ProviderError, false), // out of credits: a person must top up
        [1020] = (CallOutcome.ProviderError, true), // simultaneous dial limit
        [2000] = (CallOutcome.InvalidNumber, false),
        [2010] = (CallOutcome.InvalidNumber, false),
        [2030] = (CallOutcome.InvalidNumber, false), // destination country barred
        [2040] = (CallOutcome.InvalidNumber, false), // destination number barred
        [2050] = (CallOutcome.InvalidNumber, false), // destination prefix barred
        [3000] = (CallOutcome.NoAnswer, true),
        [3010] = (CallOutcome.Busy, true),
        [3020] = (CallOutcome.Rejected, false),
        [3030] = (CallOutcome.Rejected, false), // unknown caller ID
        [3040] = (CallOutcome.Rejected, false), // forbidden
        [3050] = (CallOutcome.InvalidNumber, false),
        [3070] = (CallOutcome.NetworkError, true), // request timeout
        [3080] = (CallOutcome.NetworkError, true), // carrier-side error
        [3090] = (CallOutcome.NetworkError, true), // network congestion
        [3110] = (CallOutcome.Rejected, false), // declined
        [3130] = (CallOutcome.Rejected, false), // spam block
        [3140] = (CallOutcome.Rejected, false), // DNO caller ID
        [5000] = (CallOutcome.NetworkError, true),
        [5010] = (CallOutcome.ProviderError, true),
        [5020] = (CallOutcome.ProviderError, true),
        [5030] = (CallOutcome.ProviderError, true), // concurrency limit breached
        [6010] = (CallOutcome.NoAnswer, true), // ring timeout
        [7011] = (CallOutcome.ProviderError, false), // our answer URL failed after the callee picked up
        [8011] = (CallOutcome.ProviderError, false), // invalid answer XML after the callee picked up
        [9100] = (CallOutcome.Machine, true),
    };

    private static readonly Dictionary<string, (CallOutcome Outcome, bool Retryable)> ByStatus = new(StringComparer.OrdinalIgnoreCase)
    {
        ["busy"] = (CallOutcome.Busy, true),
        ["no-answer"] = (CallOutcome.NoAnswer, true),
        ["timeout"] = (CallOutcome.NoAnswer, true),
        ["cancel"] = (CallOutcome.Rejected, false),
        ["failed"] = (CallOutcome.NetworkError, true),
        ["completed"] = (CallOutcome.NoAnswer, true), // completed without an answer time: nobody picked up
    };

    public static AttemptClassification Classify(AttemptResult result, bool machineDetected = false)
    {
        ArgumentNullException.ThrowIfNull(result);
        var cause = Describe(result);
        if (result.HangupCauseCode is 9100)
        {
            return new AttemptClassification(CallOutcome.Machine, Retryable: true, $"Answering machine ({cause})");
        }

        if (result.HangupCauseCode is 7011 or 8011)
        {
            return new AttemptClassification(CallOutcome.ProviderError, Retryable: false, $"Answered, but the answer URL failed ({cause})");
        }

        var answered = result.AnswerTime is not null || result.BillDuration > 0;
        if (answered)
        {
            return machineDetected
                ? new AttemptClassification(CallOutcome.Machine, Retryable: true, $"Answering machine ({cause})")
                : new AttemptClassification(CallOutcome.Answered, Retryable: false, $"Answered ({cause})");
        }

        if (result.HangupCauseCode is { } code && ByCode.TryGetValue(code, out var byCode))
        {
            return new AttemptClassification(byCode.Outcome, byCode.Retryable, $"{Words(byCode.Outcome)} ({cause})");
        }

        if (result.CallStatus is { } status && ByStatus.TryGetValue(status, out var byStatus))
        {
            return new AttemptClassification(byStatus.Outcome, byStatus.Retryable, $"{Words(byStatus.Outcome)} ({cause})");
        }

        return new AttemptClassification(CallOutcome.Unknown, Retryable: false, $"Unknown result ({cause})");
    }

    /// <summary>"No answer", "Busy", … — outcomes in words a person reads on the dashboard.</summary>
    public static string Words(CallOutcome outcome) => outcome switch
    {
        CallOutcome.Answered => "Answered",
        CallOutcome.Busy => "Busy",
        CallOutcome.NoAnswer => "No answer",
        CallOutcome.Rejected => "Rejected",
        CallOutcome.InvalidNumber => "Invalid number",
        CallOutcome.Machine => "Answering machine",
        CallOutcome.ProviderError => "Plivo error",
        CallOutcome.NetworkError => "Network error",
        CallOutcome.Cancelled => "Cancelled",
        _ => "Unknown result",
    };

    private static string Describe(AttemptResult result)
    {
        var parts = new List<string>(3);
        if (result.HangupCauseCode is { } code)
        {
            parts.Add(code.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (!string.IsNullOrWhiteSpace(result.HangupCauseName))
        {
            parts.Add(result.HangupCauseName);
        }
        else if (!string.IsNullOrWhiteSpace(result.HangupCause))
        {
            parts.Add(result.HangupCause);
        }

        if (parts.Count == 0 && !string.IsNullOrWhiteSpace(result.CallStatus))
        {
            parts.Add("CallStatus " + result.CallStatus);
        }

        return parts.Count == 0 ? "no cause given" : string.Join(' ', parts);
    }
}
