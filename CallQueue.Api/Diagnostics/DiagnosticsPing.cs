namespace CallQueue.Api.Diagnostics;

/// <summary>The check's no-op Hangfire job (live Plivo): proves a job goes through Redis to a server and back, dialing nothing.</summary>
public static class DiagnosticsPing
{
    /// <summary>Does nothing; the job's Succeeded state (with this result) is the answer.</summary>
    public static string Pong(string nonce) => nonce;
}
