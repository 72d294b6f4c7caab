using Microsoft.Extensions.Options;

namespace CallQueue.Jobs.Webhooks;

/// <summary>
/// Signs with every secret of WEBHOOK_SECRET (one signature each during a rotation). Without a secret (Development
/// only: Production does not start so) it returns an empty value and the delivery goes unsigned.
/// </summary>
public sealed class SecretWebhookSigning(IOptions<WebhookOptions> options) : IWebhookSigning
{
    public string Sign(string id, long timestamp, string body)
    {
        var keys = options.Value.SecretKeys;
        return keys.Count == 0 ? string.Empty : StandardWebhookSigner.Sign(id, timestamp, body, keys);
    }
}
