namespace CallQueue.Api.Security;

/// <summary>API keys for /api (DESIGN.md §8). Checked at start by <see cref="ApiKeyOptionsValidator"/>.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>Shortest key accepted in Production: keys are bearer secrets, so they must not be guessable.</summary>
    public const int MinProductionKeyLength = 16;

    private static readonly char[] Separators = [',', ';', ' ', '\t', '\r', '\n'];

    /// <summary>
    /// API_KEYS: comma-separated keys (semicolons and spaces also separate, as for the check verb), any of which a client sends as <c>X-API-Key: &lt;key&gt;</c> or
    /// <c>Authorization: Bearer &lt;key&gt;</c> on every /api route except /api/health and the Plivo callbacks. An entry
    /// <c>name:key</c> names its client (logs say which client was refused or let in); a bare key is named
    /// <c>key-1</c>, <c>key-2</c>, … by position. The client sends the key only, never the name.
    /// Required in Production; unset in Development, the API is open (announced in the log and in /api/health).
    /// Several keys allow rotation: add the new key, move the clients, remove the old one. Never logged.
    /// </summary>
    [ConfigurationKeyName("API_KEYS")]
    public string? Keys { get; set; }

    /// <summary>The configured entries as written (<c>name:key</c> or a bare key), empty entries dropped.</summary>
    public IReadOnlyList<string> KeyList =>
        (Keys ?? string.Empty).Split(Separators, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The configured keys with their names.</summary>
    public IReadOnlyList<ApiKey> ApiKeys => KeyList.Select(ApiKey.Parse).ToList();

    public bool IsConfigured => KeyList.Count > 0;
}
