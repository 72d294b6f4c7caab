using System.ComponentModel.DataAnnotations;

namespace CallQueue.Api.Sandbox;

/// <summary>
/// How the built-in Plivo sandbox plays calls (DESIGN.md §7). Flat keys like the rest of the configuration. Outcome
/// ratios are relative weights (they need not add up to 1); a number scripted through the control API overrides them.
/// </summary>
public sealed class PlivoSandboxOptions
{
    /// <summary>SANDBOX_ANSWER_RATIO: weight of answered calls. Default 0.8 (80 % with the other defaults).</summary>
    [ConfigurationKeyName("SANDBOX_ANSWER_RATIO")]
    [Range(0.0, 1_000.0)]
    public double AnswerRatio { get; set; } = 0.8;

    /// <summary>SANDBOX_BUSY_RATIO: weight of busy calls (hangup 3010 Busy Line). Default 0.1.</summary>
    [ConfigurationKeyName("SANDBOX_BUSY_RATIO")]
    [Range(0.0, 1_000.0)]
    public double BusyRatio { get; set; } = 0.1;

    /// <summary>SANDBOX_NO_ANSWER_RATIO: weight of unanswered calls (hangup 6010 Ring Timeout Reached). Default 0.1.</summary>
    [ConfigurationKeyName("SANDBOX_NO_ANSWER_RATIO")]
    [Range(0.0, 1_000.0)]
    public double NoAnswerRatio { get; set; } = 0.1;

    /// <summary>SANDBOX_RING_SECONDS: seconds from an accepted request to the ring callback (the callee picks up then, if at all). Default 2 s.</summary>
    [ConfigurationKeyName("SANDBOX_RING_SECONDS")]
    [Range(0, 3_600)]
    public int RingSeconds { get; set; } = 2;

    /// <summary>SANDBOX_TALK_SECONDS: seconds an answered call lasts before the callee hangs up; the request's time_limit wins when smaller. Default 5 s.</summary>
    [ConfigurationKeyName("SANDBOX_TALK_SECONDS")]
    [Range(0, 86_400)]
    public int TalkSeconds { get; set; } = 5;

    /// <summary>SANDBOX_RING_TIMEOUT_SECONDS: longest an unanswered call rings before 6010 Ring Timeout Reached; the request's ring_timeout (Plivo default 120 s) wins when smaller. Default 30 s.</summary>
    [ConfigurationKeyName("SANDBOX_RING_TIMEOUT_SECONDS")]
    [Range(0, 3_600)]
    public int RingTimeoutSeconds { get; set; } = 30;

    /// <summary>SANDBOX_RESPONSE_DELAY_MS: delay before every make-call answer, milliseconds (simulates a slow API). Default 0.</summary>
    [ConfigurationKeyName("SANDBOX_RESPONSE_DELAY_MS")]
    [Range(0, 600_000)]
    public int ResponseDelayMs { get; set; }

    /// <summary>SANDBOX_FAULT_RATE: probability (0–1) that a make-call request is refused with SANDBOX_FAULT_STATUS (the call is not placed). Default 0.</summary>
    [ConfigurationKeyName("SANDBOX_FAULT_RATE")]
    [Range(0.0, 1.0)]
    public double FaultRate { get; set; }

    /// <summary>SANDBOX_FAULT_STATUS: HTTP status of random faults, e.g. 503 or 429. Default 503.</summary>
    [ConfigurationKeyName("SANDBOX_FAULT_STATUS")]
    [Range(400, 599)]
    public int FaultStatus { get; set; } = 503;

    /// <summary>SANDBOX_SEED: seed of the random outcome and fault choice, for reproducible runs. Default: none (different every run).</summary>
    [ConfigurationKeyName("SANDBOX_SEED")]
    public int? Seed { get; set; }

    /// <summary>SANDBOX_HISTORY_LIMIT: how many request-log entries, callback-log entries and ended calls are kept (oldest dropped first). Default 10000.</summary>
    [ConfigurationKeyName("SANDBOX_HISTORY_LIMIT")]
    [Range(1, 10_000_000)]
    public int HistoryLimit { get; set; } = 10_000;
}
