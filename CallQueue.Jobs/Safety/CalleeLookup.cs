namespace CallQueue.Jobs.Safety;

/// <summary>A number's <see cref="CalleeLocation"/>, or why there is none: <see cref="Field"/> is the request field to fix (call_config.timezone).</summary>
public sealed record CalleeLookup(CalleeLocation? Location, string? Field, string? Error)
{
    public const string TimeZoneField = "call_config.timezone";

    public static CalleeLookup Found(CalleeLocation location) => new(location, null, null);

    public static CalleeLookup Failed(string error) => new(null, TimeZoneField, error);
}
