namespace CallQueue.Tests.Support;

/// <summary>
/// The callee-safety rules the suite's apps and processes start without, because the suite runs at any hour and dials
/// the same few numbers from many tests at once: calling hours (deployment's and the law's), the gap between attempts
/// to a number and one call per number. The tests of those rules turn them back on (Safety/*EndToEndTests).
/// </summary>
public static class SafetyDefaults
{
    public static IReadOnlyDictionary<string, string> Off { get; } = new Dictionary<string, string>
    {
        ["CALLING_HOURS"] = "off",
        ["LEGAL_CALLING_HOURS"] = "off",
        ["NUMBER_MIN_GAP_SECONDS"] = "0",
        ["ONE_CALL_PER_NUMBER"] = "off",
    };
}
