using System.Text.Json;

namespace CallQueue.Api.DoNotCall;

/// <summary>
/// Body of POST /api/dnc. The numbers are read as JSON values, not strings, so a wrong one (a number, an object, text
/// that is not valid Unicode) is rejected by its index while the others are listed.
/// </summary>
public sealed record AddDoNotCallRequest
{
    /// <summary>1..<see cref="DoNotCallApi.MaxNumbers"/> E.164 numbers. Required.</summary>
    public IReadOnlyList<JsonElement>? PhoneNumbers { get; init; }

    /// <summary>Lists the numbers for this campaign only; absent: for every campaign.</summary>
    public string? CampaignId { get; init; }

    /// <summary>Optional, at most <see cref="Jobs.Safety.DoNotCallEntry.ReasonMaxLength"/> characters, no control characters.</summary>
    public string? Reason { get; init; }
}
