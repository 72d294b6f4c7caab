namespace CallQueue.Api.Sandbox;

/// <summary>A scripted fate for every call to one number; null seconds fall back to the options.</summary>
public sealed record SandboxNumberScript(SandboxOutcome Outcome, int? RingSeconds = null, int? TalkSeconds = null, bool LoseHangupCallback = false);
