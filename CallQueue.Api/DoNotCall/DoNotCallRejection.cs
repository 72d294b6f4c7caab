namespace CallQueue.Api.DoNotCall;

/// <summary>A number of a POST /api/dnc that was not listed: its index, the value when it was text, and why (by field).</summary>
public sealed record DoNotCallRejection(int Index, string? PhoneNumber, IDictionary<string, string[]> Errors);
