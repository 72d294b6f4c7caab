using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Lifecycle;

/// <summary>
/// A callee-safety rule ends a waiting call without dialing it: <paramref name="FinalStatus"/> expired (deadline),
/// blocked (do-not-call) or failed (its calling hours cannot be known or never open), with <paramref name="Reason"/>.
/// Only a call not being dialed.
/// </summary>
public sealed record StopCall(SafetyRule Rule, CallStatus FinalStatus, string Reason) : CallEvent;
