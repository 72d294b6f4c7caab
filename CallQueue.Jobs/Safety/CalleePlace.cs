namespace CallQueue.Jobs.Safety;

/// <summary>Where a number is registered, as far as the law's calling hours care: its region (ISO 3166, "US", "IN") and, for US numbers, the state ("FL").</summary>
public sealed record CalleePlace(string RegionCode, string? UsState = null)
{
    public static CalleePlace Unknown { get; } = new("ZZ");
}
