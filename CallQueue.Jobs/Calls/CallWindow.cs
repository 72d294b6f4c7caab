namespace CallQueue.Jobs.Calls;

/// <summary>
/// <c>call_config.calling_window</c>: callee-local <see cref="Start"/> to <see cref="End"/> (HH:mm, half-open, same day)
/// on <see cref="Days"/> (mon … sun; none: every day). Validated when the call is queued.
/// </summary>
public sealed record CallWindow
{
    public required string Start { get; init; }

    public required string End { get; init; }

    public IReadOnlyList<string>? Days { get; init; }
}
