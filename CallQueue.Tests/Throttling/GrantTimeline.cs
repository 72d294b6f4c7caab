using System.Globalization;

namespace CallQueue.Tests.Throttling;

/// <summary>Grant times of a rate-limiter run, sorted, and the figures the rate tests assert on.</summary>
internal sealed class GrantTimeline
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);
    private readonly TimeSpan[] _grants;

    public GrantTimeline(IEnumerable<TimeSpan> grants)
    {
        _grants = [.. grants.Order()];
    }

    public int Count => _grants.Length;

    /// <summary>The most grants in any window [t, t + 1 s): a window holding the most starts at a grant.</summary>
    public int MaxInAnySecond()
    {
        var most = 0;
        var end = 0;
        for (var start = 0; start < _grants.Length; start++)
        {
            while (end < _grants.Length && _grants[end] - _grants[start] < OneSecond)
            {
                end++;
            }

            most = Math.Max(most, end - start);
        }

        return most;
    }

    /// <summary>Grants per second between the first and the last grant (the steady rate, without the fencepost).</summary>
    public double AchievedRate => _grants.Length < 2 ? 0 : (_grants.Length - 1) / (_grants[^1] - _grants[0]).TotalSeconds;

    public TimeSpan MinGap => _grants.Length < 2 ? TimeSpan.Zero : Gaps().Min();

    public TimeSpan MaxGap => _grants.Length < 2 ? TimeSpan.Zero : Gaps().Max();

    /// <summary>Which gap (0 = between the first two grants) is the longest: a stall early in the run is warm-up.</summary>
    public int MaxGapIndex => _grants.Length < 2 ? -1 : Array.IndexOf([.. Gaps()], MaxGap);

    private IEnumerable<TimeSpan> Gaps() => _grants.Zip(_grants.Skip(1), (a, b) => b - a);

    /// <summary>The tightest window: the shortest span of <paramref name="perSecond"/> + 1 consecutive grants (must exceed 1 s).</summary>
    public TimeSpan ShortestSpanOf(int perSecond) =>
        _grants.Length <= perSecond
            ? TimeSpan.MaxValue
            : Enumerable.Range(0, _grants.Length - perSecond).Min(i => _grants[i + perSecond] - _grants[i]);

    public string Describe(string label, int perSecond) => string.Create(
        CultureInfo.InvariantCulture,
        $"{label}: {Count} grants, max {MaxInAnySecond()} in any 1 s window (cap {perSecond}), achieved {AchievedRate:F3}/s = "
        + $"{AchievedRate / perSecond:P2} of {perSecond}/s, gaps {MinGap.TotalMilliseconds:F2}–{MaxGap.TotalMilliseconds:F2} ms (longest is #{MaxGapIndex}), "
        + $"shortest span of {perSecond + 1} grants {ShortestSpanOf(perSecond).TotalMilliseconds:F2} ms");
}
