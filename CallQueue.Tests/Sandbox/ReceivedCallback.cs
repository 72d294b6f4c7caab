namespace CallQueue.Tests.Sandbox;

/// <summary>A callback as the test receiver saw it.</summary>
public sealed record ReceivedCallback(
    string Kind,
    string Method,
    string ReceivedUrl,
    IReadOnlyDictionary<string, string> Parameters,
    string? SignatureV3,
    string? SignatureMaV3,
    string? Nonce)
{
    public string? Get(string name) => Parameters.GetValueOrDefault(name);
}
