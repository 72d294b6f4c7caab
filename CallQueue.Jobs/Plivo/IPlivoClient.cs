namespace CallQueue.Jobs.Plivo;

/// <summary>Our client for Plivo's Voice REST API (the SDK cannot be installed here). The seam tests fake when needed.</summary>
/// <remarks>
/// Every method throws <see cref="PlivoApiException"/> for unexpected non-2xx answers (and for 2xx answers that cannot
/// be understood) and <see cref="PlivoConnectionException"/> when no answer came. Caller cancellation surfaces as
/// <see cref="OperationCanceledException"/>. Nothing is retried at the HTTP level.
/// </remarks>
public interface IPlivoClient
{
    /// <summary>
    /// POST /v1/Account/{auth_id}/Call/ once: never retried at the HTTP level (a retry could ring the callee twice).
    /// Throws <see cref="PlivoApiException"/> for non-2xx answers and <see cref="PlivoConnectionException"/> when no answer came.
    /// A 2xx answer without a request_uuid throws <see cref="PlivoApiException"/> carrying that 2xx status
    /// (<see cref="PlivoApiException.IsTransient"/> false): Plivo accepted the request, so the call may be placed and
    /// must not be sent again.
    /// </summary>
    Task<MakeCallResponse> MakeCallAsync(MakeCallRequest request, CancellationToken cancellationToken);

    /// <summary>A harmless authenticated GET (the account), proving the credentials work.</summary>
    Task CheckCredentialsAsync(CancellationToken cancellationToken);

    /// <summary>GET /Call/{call_uuid}/?status=live; null when Plivo does not know the call as live (404).</summary>
    Task<LiveCall?> GetLiveCallAsync(string callUuid, CancellationToken cancellationToken);

    /// <summary>
    /// GET /Call/?status=live (all pages): the call_uuids of live calls, optionally only those to <paramref name="toNumber"/>.
    /// </summary>
    Task<IReadOnlyList<string>> ListLiveCallUuidsAsync(string? toNumber, CancellationToken cancellationToken);

    /// <summary>GET /Call/{call_uuid}/?status=queued; null when no such queued call (404).</summary>
    Task<QueuedCall?> GetQueuedCallAsync(string callUuid, CancellationToken cancellationToken);

    /// <summary>GET /Call/?status=queued: the call_uuids of accepted requests Plivo has not dialled yet.</summary>
    Task<IReadOnlyList<string>> ListQueuedCallUuidsAsync(CancellationToken cancellationToken);

    /// <summary>GET /Call/{call_uuid}/: the CDR of an ended call; null when Plivo has none (404).</summary>
    Task<CallDetailRecord?> GetCallDetailRecordAsync(string callUuid, CancellationToken cancellationToken);

    /// <summary>GET /Call/?to_number=…: the newest call detail records (one page, at most 20) of ended calls to the number.</summary>
    Task<IReadOnlyList<CallDetailRecord>> ListCallDetailRecordsAsync(string toNumber, CancellationToken cancellationToken);

    /// <summary>
    /// DELETE /Call/{call_uuid}/: hang up a live call (or cancel a queued one). True when Plivo took it, false when the
    /// call was not found (404: usually already ended). An empty or malformed uuid throws <see cref="ArgumentException"/>:
    /// DELETE /Call/ without a uuid would hang up every call on the account.
    /// </summary>
    Task<bool> HangupCallAsync(string callUuid, CancellationToken cancellationToken);

    /// <summary>
    /// DELETE /Request/{request_uuid}/: cancel a call request before it is answered. True when Plivo took it, false
    /// when not found (404: already answered, ended or unknown).
    /// </summary>
    Task<bool> CancelRequestAsync(string requestUuid, CancellationToken cancellationToken);
}
