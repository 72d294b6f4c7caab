using NodaTime;

namespace CallQueue.Jobs.Safety;

/// <summary>A callee's place (for the law's hours) and time zones (for the local clock): every zone must be inside the window.</summary>
public sealed record CalleeLocation(CalleePlace Place, IReadOnlyList<DateTimeZone> Zones)
{
    public IEnumerable<string> ZoneIds => Zones.Select(zone => zone.Id);
}
