using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CallQueue.Jobs.Plivo;

/// <summary>
/// Typed HttpClient for Plivo's Voice REST API (reference/plivo-voice-api.md). One HTTP request per call of a method:
/// nothing is retried here, because a repeated make-call POST can ring the callee twice (DESIGN.md §3). The
/// per-request timeout (PLIVO_TIMEOUT_SECONDS) runs on a linked token so a timeout is told apart from the caller's
/// cancellation; register with <see cref="PlivoServiceCollectionExtensions.AddPlivoClient"/>.
/// </summary>
public sealed class PlivoClient : IPlivoClient
{
    private const int DefaultTimeoutSeconds = 10;
    private const int PageSize = 20; // Plivo's maximum page size for call lists.
    private const int MaxPages = 50;

    private readonly HttpClient _httpClient;
    private readonly PlivoOptions _options;
    private readonly ILogger _logger;
    private readonly TimeSpan _timeout;

    public PlivoClient(HttpClient httpClient, IOptions<PlivoOptions> options, ILogger<PlivoClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        _httpClient = httpClient;
        _options = options.Value;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _timeout = TimeSpan.FromSeconds(_options.TimeoutSeconds > 0 ? _options.TimeoutSeconds : DefaultTimeoutSeconds);
        var apiUrl = string.IsNullOrWhiteSpace(_options.ApiUrl) ? PlivoOptions.DefaultApiUrl : _options.ApiUrl.Trim();
        BaseUrl = apiUrl.TrimEnd('/');
    }

    /// <summary>Base of the REST API without a trailing slash (PLIVO_API_URL or https://api.plivo.com).</summary>
    public string BaseUrl { get; }

    public async Task<MakeCallResponse> MakeCallAsync(MakeCallRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        const string operation = "make call";
        using var message = CreateRequest(HttpMethod.Post, "Call/");
        message.Content = new StringContent(JsonSerializer.Serialize(request, PlivoJson.Options), Encoding.UTF8, "application/json");
        var response = await SendAsync(message, operation, cancellationToken);
        EnsureSuccess(response, operation);
        var accepted = Read(response, operation, PlivoResponseBody.ReadMakeCall)
            ?? throw ProtocolError(response, operation, "the answer has no request_uuid; the call may have been placed");
        if (_logger.IsEnabled(LogLevel.Information))
        {
            _logger.CallAccepted(PhoneNumberMask.Mask(request.To), accepted.RequestUuid, accepted.Message);
        }

        return accepted;
    }

    public async Task CheckCredentialsAsync(CancellationToken cancellationToken)
    {
        const string operation = "get account";
        using var message = CreateRequest(HttpMethod.Get, string.Empty);
        EnsureSuccess(await SendAsync(message, operation, cancellationToken), operation);
    }

    public Task<LiveCall?> GetLiveCallAsync(string callUuid, CancellationToken cancellationToken) =>
        GetOrNullAsync<LiveCall>($"Call/{PlivoIdentifier.Require(callUuid)}/?status=live", "get live call", cancellationToken);

    public Task<IReadOnlyList<string>> ListLiveCallUuidsAsync(string? toNumber, CancellationToken cancellationToken) =>
        ListCallUuidsAsync("live", toNumber, cancellationToken);

    public Task<QueuedCall?> GetQueuedCallAsync(string callUuid, CancellationToken cancellationToken) =>
        GetOrNullAsync<QueuedCall>($"Call/{PlivoIdentifier.Require(callUuid)}/?status=queued", "get queued call", cancellationToken);

    public Task<IReadOnlyList<string>> ListQueuedCallUuidsAsync(CancellationToken cancellationToken) =>
        ListCallUuidsAsync("queued", toNumber: null, cancellationToken);

    public Task<CallDetailRecord?> GetCallDetailRecordAsync(string callUuid, CancellationToken cancellationToken) =>
        GetOrNullAsync<CallDetailRecord>($"Call/{PlivoIdentifier.Require(callUuid)}/", "get call detail record", cancellationToken);

    public async Task<IReadOnlyList<CallDetailRecord>> ListCallDetailRecordsAsync(string toNumber, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(toNumber);
        var page = await GetOrNullAsync<CallDetailRecordPage>(
            string.Create(CultureInfo.InvariantCulture, $"Call/?to_number={Uri.EscapeDataString(toNumber)}&limit={PageSize}"),
            "list call detail records",
            cancellationToken);
        return page?.Objects ?? [];
    }

    public Task<bool> HangupCallAsync(string callUuid, CancellationToken cancellationToken) =>
        DeleteAsync($"Call/{PlivoIdentifier.Require(callUuid)}/", "hang up call", cancellationToken);

    public Task<bool> CancelRequestAsync(string requestUuid, CancellationToken cancellationToken) =>
        DeleteAsync($"Request/{PlivoIdentifier.Require(requestUuid)}/", "cancel request", cancellationToken);

    private async Task<T?> GetOrNullAsync<T>(string relativePath, string operation, CancellationToken cancellationToken)
        where T : class
    {
        using var message = CreateRequest(HttpMethod.Get, relativePath);
        var response = await SendAsync(message, operation, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        EnsureSuccess(response, operation);
        return Read(response, operation, body => JsonSerializer.Deserialize<T>(body, PlivoJson.Options))
            ?? throw ProtocolError(response, operation, "the answer is empty");
    }

    private async Task<IReadOnlyList<string>> ListCallUuidsAsync(string status, string? toNumber, CancellationToken cancellationToken)
    {
        var operation = "list " + status + " calls";
        var uuids = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var page = 0; page < MaxPages; page++)
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"Call/?status={status}&limit={PageSize}&offset={page * PageSize}");
            if (!string.IsNullOrWhiteSpace(toNumber))
            {
                path += "&to_number=" + Uri.EscapeDataString(toNumber);
            }

            using var message = CreateRequest(HttpMethod.Get, path);
            var response = await SendAsync(message, operation, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                break; // No calls in that state.
            }

            EnsureSuccess(response, operation);
            var pageUuids = Read(response, operation, PlivoResponseBody.ReadCallUuids)
                ?? throw ProtocolError(response, operation, "calls is not a list");
            var added = pageUuids.Where(seen.Add).ToList();
            uuids.AddRange(added);

            // A server that ignores offset would repeat the same page: stop when nothing new arrives.
            if (pageUuids.Count < PageSize || added.Count == 0)
            {
                break;
            }
        }

        return uuids;
    }

    private async Task<bool> DeleteAsync(string relativePath, string operation, CancellationToken cancellationToken)
    {
        using var message = CreateRequest(HttpMethod.Delete, relativePath);
        var response = await SendAsync(message, operation, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        EnsureSuccess(response, operation);
        return true;
    }

    private HttpRequestMessage CreateRequest(HttpMethod method, string relativePath)
    {
        if (!_options.HasCredentials)
        {
            throw new InvalidOperationException("Plivo credentials not found: set PLIVO_AUTH_ID and PLIVO_AUTH_TOKEN");
        }

        var authId = _options.AuthId!.Trim();
        if (!PlivoIdentifier.IsValid(authId))
        {
            throw new InvalidOperationException("PLIVO_AUTH_ID is not a Plivo Auth ID (letters and digits only)");
        }

        var message = new HttpRequestMessage(method, new Uri($"{BaseUrl}/v1/Account/{authId}/{relativePath}", UriKind.Absolute));
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes(authId + ":" + _options.AuthToken));
        message.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return message;
    }

    /// <summary>Sends once and reads the whole answer, mapping "no answer" to <see cref="PlivoConnectionException"/>.</summary>
    private async Task<RawResponse> SendAsync(HttpRequestMessage message, string operation, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            using var response = await _httpClient.SendAsync(message, HttpCompletionOption.ResponseContentRead, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            return new RawResponse(response.StatusCode, body);
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(ex.Message, ex, cancellationToken);
        }
        catch (OperationCanceledException ex)
        {
            // Our timeout (or HttpClient.Timeout): the request may well have reached Plivo.
            _logger.NoAnswer(ex, operation, mayHaveBeenSent: true);
            throw new PlivoConnectionException(
                $"Plivo did not answer {operation} within {_timeout.TotalSeconds:0} s", requestMayHaveBeenSent: true, ex);
        }
        catch (HttpRequestException ex)
        {
            var mayHaveBeenSent = !FailedBeforeSending(ex);
            _logger.NoAnswer(ex, operation, mayHaveBeenSent);
            throw new PlivoConnectionException($"No answer from Plivo to {operation}: {ex.Message}", mayHaveBeenSent, ex);
        }
        catch (IOException ex)
        {
            _logger.NoAnswer(ex, operation, mayHaveBeenSent: true);
            throw new PlivoConnectionException($"Connection to Plivo broke during {operation}: {ex.Message}", requestMayHaveBeenSent: true, ex);
        }
    }

    /// <summary>Only failures to connect (refused, DNS, TLS) prove the request never left.</summary>
    private static bool FailedBeforeSending(HttpRequestException exception) =>
        exception.HttpRequestError is HttpRequestError.ConnectionError
            or HttpRequestError.NameResolutionError
            or HttpRequestError.SecureConnectionError
        || exception.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused };

    private void EnsureSuccess(RawResponse response, string operation)
    {
        if ((int)response.StatusCode is >= 200 and <= 299)
        {
            return;
        }

        var (error, apiId) = PlivoResponseBody.ParseError(response.Body);
        var exception = new PlivoApiException(response.StatusCode, error, apiId);
        _logger.ApiError(operation, (int)response.StatusCode, apiId, exception.IsTransient);
        throw exception;
    }

    /// <summary>Parses a 2xx body; a body that is not the expected JSON is a protocol error (the request did arrive).</summary>
    private T? Read<T>(RawResponse response, string operation, Func<string, T?> parse)
        where T : class
    {
        try
        {
            return parse(response.Body);
        }
        catch (JsonException)
        {
            throw ProtocolError(response, operation, "the answer is not the expected JSON; the request did reach Plivo");
        }
    }

    private PlivoApiException ProtocolError(RawResponse response, string operation, string problem)
    {
        _logger.ProtocolError(operation, response.StatusCode, problem);
        return new PlivoApiException(response.StatusCode, problem, PlivoResponseBody.ParseError(response.Body).ApiId);
    }

    private readonly record struct RawResponse(HttpStatusCode StatusCode, string Body);
}

/// <summary>One page of GET /Call/: <c>{"api_id", "meta", "objects": [CDR…]}</c>.</summary>
internal sealed record CallDetailRecordPage
{
    public IReadOnlyList<CallDetailRecord>? Objects { get; init; }
}
