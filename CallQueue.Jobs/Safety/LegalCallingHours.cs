using System.Collections.Frozen;

namespace CallQueue.Jobs.Safety;

/// <summary>
/// The legal calling-hours table (docs: ../shared/reference/callee-safety.md §1), as data. Not encoded: public holidays
/// (Alabama and Louisiana state holidays, Australia's national ones): list them in RESTRICTED_DATES. Where sources
/// disagree the stricter reading is kept.
/// </summary>
public static class LegalCallingHours
{
    /// <summary>US federal (TCPA, 47 CFR 64.1200(c)(1)): 08:00–21:00 every day; every state narrows from here.</summary>
    public static LegalRule UsFederal { get; } = new("US", CallingWindow.Every(DailyHours.From(8, 21), CallingDays.Every));

    /// <summary>India (TRAI): 09:00–21:00 IST.</summary>
    public static LegalRule India { get; } = new("IN", CallingWindow.Every(DailyHours.From(9, 21), CallingDays.Every));

    /// <summary>Australia (ACMA telemarketing standard): 09:00–20:00 weekdays, 09:00–17:00 Saturday, never on Sunday.</summary>
    public static LegalRule Australia { get; } = new(
        "AU", CallingWindow.Every(DailyHours.From(9, 20), CallingDays.Weekdays).With(DayOfWeek.Saturday, DailyHours.From(9, 17)));

    // US states stricter than the federal rule. The caps: Florida's FTSA and Oklahoma's OTSA (3 per 24 h on one
    // subject); Maryland's is only "reported" (verify) and kept, being the stricter reading.
    private static readonly FrozenDictionary<string, LegalRule> States = new Dictionary<string, LegalRule>
    {
        ["FL"] = State("FL", 8, 20, CallingDays.Every, maxCallsPer24Hours: 3),
        ["OK"] = State("OK", 8, 20, CallingDays.Every, maxCallsPer24Hours: 3),
        ["MD"] = State("MD", 8, 20, CallingDays.Every, maxCallsPer24Hours: 3),
        ["MA"] = State("MA", 8, 20, CallingDays.Every),
        ["AL"] = State("AL", 8, 20, CallingDays.MondayToSaturday),
        ["LA"] = State("LA", 8, 20, CallingDays.MondayToSaturday),
        ["MS"] = State("MS", 8, 20, CallingDays.MondayToSaturday),
        ["KY"] = State("KY", 10, 21, CallingDays.Every),
        ["MI"] = State("MI", 9, 21, CallingDays.Every),
        ["MN"] = State("MN", 9, 21, CallingDays.Every),
        ["NM"] = State("NM", 9, 21, CallingDays.Every),
        ["NV"] = State("NV", 9, 20, CallingDays.Every),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // The TCPA covers the territories too; they have their own region codes in libphonenumber.
    private static readonly FrozenSet<string> UsRegions = new[] { "US", "PR", "GU", "VI", "AS", "MP" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The rule for a place, or null where the table has none (only the deployment's hours apply there).</summary>
    public static LegalRule? For(CalleePlace place)
    {
        ArgumentNullException.ThrowIfNull(place);
        return place.RegionCode switch
        {
            "IN" => India,
            "AU" => Australia,
            _ when UsRegions.Contains(place.RegionCode) =>
                place.UsState is { } state && States.TryGetValue(state, out var rule) ? rule : UsFederal,
            _ => null,
        };
    }

    // Each state's rule is the federal one narrowed, so a state row can never be looser than the TCPA.
    private static LegalRule State(string state, int startHour, int endHour, CallingDays days, int? maxCallsPer24Hours = null) =>
        new($"US-{state}", CallingWindow.Every(DailyHours.From(startHour, endHour), days).Intersect(UsFederal.Window), maxCallsPer24Hours);
}
