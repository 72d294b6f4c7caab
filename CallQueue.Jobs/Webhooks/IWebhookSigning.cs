namespace CallQueue.Jobs.Webhooks;

/// <summary>
/// Signs one try of an event (Standard Webhooks 1.0): the <c>webhook-signature</c> header value for
/// <c>"{id}.{timestamp}.{body}"</c> (<c>v1,</c> + base64 HMAC-SHA256, one per secret during a rotation). The seam between
/// delivery and the signer: the host registers the signer built from WEBHOOK_SECRET.
/// </summary>
public interface IWebhookSigning
{
    /// <param name="id">The event's id, the <c>webhook-id</c> header.</param>
    /// <param name="timestamp">Unix seconds of this try, the <c>webhook-timestamp</c> header.</param>
    /// <param name="body">The exact body sent.</param>
    string Sign(string id, long timestamp, string body);
}
