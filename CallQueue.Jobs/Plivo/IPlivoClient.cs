namespace CallQueue.Jobs.Plivo;

/// <summary>Our client for Plivo's Voice REST API (the SDK cannot be installed here). The seam tests fake when needed.</summary>
public interface IPlivoClient
{
    /// <summary>
    /// POST /v1/Account/{auth_id}/Call/ once: never retried at the HTTP level (a retry could ring the callee twice).
    /// Throws <see cref="PlivoApiException"/> for non-2xx answers and <see cref="PlivoConnectionException"/> when no answer came.
    /// </summary>
    Task<MakeCallResponse> MakeCallAsync(MakeCallRequest request, CancellationToken cancellationToken);

    /// <summary>A harmless authenticated GET (the account), proving the credentials work.</summary>
    Task CheckCredentialsAsync(CancellationToken cancellationToken);
}
