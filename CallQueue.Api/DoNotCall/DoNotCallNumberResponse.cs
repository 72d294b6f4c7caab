namespace CallQueue.Api.DoNotCall;

/// <summary>The answer to GET /api/dnc/{phone_number}: the number's entries, global first.</summary>
public sealed record DoNotCallNumberResponse(string PhoneNumber, IReadOnlyList<DoNotCallEntryResponse> Entries);
