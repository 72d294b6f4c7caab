using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Safety;

/// <summary>
/// The number gate's answer: taken (<see cref="Rule"/> null), blocked by a do-not-call <see cref="Entry"/>, or held by a
/// number rule for <see cref="Wait"/> (for a busy number: at most the live call's lease, <see cref="LiveCallId"/>;
/// its end wakes the call sooner).
/// </summary>
public sealed record NumberVerdict(SafetyRule? Rule, TimeSpan Wait, DoNotCallEntry? Entry, string? LiveCallId)
{
    public static NumberVerdict Taken { get; } = new(null, TimeSpan.Zero, null, null);

    public bool IsTaken => Rule is null;
}
