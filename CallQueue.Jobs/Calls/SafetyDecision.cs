namespace CallQueue.Jobs.Calls;

/// <summary>A callee-safety decision kept on the call: which rule, when, and what it said.</summary>
public sealed record SafetyDecision(DateTimeOffset At, SafetyRule Rule, string Said);
