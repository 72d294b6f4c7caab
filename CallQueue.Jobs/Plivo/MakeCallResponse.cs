namespace CallQueue.Jobs.Plivo;

/// <summary>Plivo's answer to an accepted make-call request: <c>{"message":"call fired","request_uuid":…,"api_id":…}</c>.</summary>
public sealed record MakeCallResponse(string RequestUuid, string? Message, string? ApiId);
