using System.Security.Cryptography;
using CallQueue.Jobs.Plivo;

namespace CallQueue.Api.Sandbox;

/// <summary>
/// Sends one callback like Plivo: form-urlencoded POST (or query-string GET), signed with V3 over the exact URL given
/// in the make-call request (headers X-Plivo-Signature-V3, X-Plivo-Signature-Ma-V3, X-Plivo-Signature-V3-Nonce).
/// Failures are logged and recorded, never thrown.
/// </summary>
internal sealed class SandboxCallbackSender(
    IHttpClientFactory httpClientFactory,
    TimeProvider timeProvider,
    ILogger logger,
    string authToken,
    SandboxJournal<SandboxCallbackLogEntry> journal)
{
    public const string HttpClientName = "CallQueue.PlivoSandbox.Callbacks";

    public async Task SendAsync(SandboxCall call, string? url, string method, Dictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return;
        }

        var eventName = parameters.GetValueOrDefault("Event", string.Empty);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            logger.CallbackUrlInvalid(eventName, call.CallUuid);
            Record(call, url, method, eventName, parameters, new Dictionary<string, string>(), timeProvider.GetUtcNow(), null, "invalid URL");
            return;
        }

        var sentAt = timeProvider.GetUtcNow();
        var nonce = RandomNumberGenerator.GetString("0123456789", 20);
        using var message = CreateMessage(url, method, parameters, nonce);
        var headers = message.Headers.ToDictionary(header => header.Key, header => string.Join(',', header.Value), StringComparer.OrdinalIgnoreCase);
        int? statusCode = null;
        string? error = null;
        try
        {
            using var response = await httpClientFactory.CreateClient(HttpClientName).SendAsync(message, cancellationToken);
            statusCode = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                logger.CallbackRejected(eventName, call.CallUuid, Target(uri), statusCode.Value);
            }
        }
        catch (HttpRequestException ex)
        {
            error = ex.Message;
            logger.CallbackFailed(ex, eventName, call.CallUuid, Target(uri));
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            error = "timed out";
            logger.CallbackFailed(ex, eventName, call.CallUuid, Target(uri));
        }

        Record(call, url, method, eventName, parameters, headers, sentAt, statusCode, error);
    }

    private HttpRequestMessage CreateMessage(string url, string method, Dictionary<string, string> parameters, string nonce)
    {
        HttpRequestMessage message;
        string signature;
        if (method == "GET")
        {
            // Plivo's GET callbacks carry the fields in the query; the signature covers that full URL.
            var hash = url.IndexOf('#', StringComparison.Ordinal);
            var target = hash >= 0 ? url[..hash] : url;
            var query = string.Join('&', parameters.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
            target += (target.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query;
            signature = PlivoSignatureV3.Compute("GET", target, [], nonce, authToken);
            message = new HttpRequestMessage(HttpMethod.Get, new Uri(target, UriKind.Absolute));
        }
        else
        {
            signature = PlivoSignatureV3.Compute("POST", url, parameters, nonce, authToken);
            message = new HttpRequestMessage(HttpMethod.Post, new Uri(url, UriKind.Absolute))
            {
                Content = new FormUrlEncodedContent(parameters),
            };
        }

        // One account, no subaccounts: the main-account signature equals the account one.
        message.Headers.Add("X-Plivo-Signature-V3", signature);
        message.Headers.Add("X-Plivo-Signature-Ma-V3", signature);
        message.Headers.Add("X-Plivo-Signature-V3-Nonce", nonce);
        return message;
    }

    private void Record(
        SandboxCall call, string url, string method, string eventName, Dictionary<string, string> parameters, Dictionary<string, string> headers, DateTimeOffset sentAt, int? statusCode, string? error) =>
        journal.Add(new SandboxCallbackLogEntry
        {
            SentAt = sentAt,
            Url = url,
            Method = method,
            Event = eventName,
            CallUuid = call.CallUuid,
            RequestUuid = call.RequestUuid,
            Parameters = parameters,
            Headers = headers,
            StatusCode = statusCode,
            Error = error,
        });

    /// <summary>Where a callback went, without the query (it may carry ids the operator does not need in logs).</summary>
    private static string Target(Uri uri) => uri.GetLeftPart(UriPartial.Path);
}
