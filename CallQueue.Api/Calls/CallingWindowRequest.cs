namespace CallQueue.Api.Calls;

/// <summary>
/// <c>call_config.calling_window</c>: the call's own calling hours in the callee's local time, e.g. <c>{"start": "10:00",
/// "end": "18:00", "days": ["mon", "tue", "wed", "thu", "fri"]}</c> (half-open, same day; no days: every day). It only
/// narrows the deployment's and the law's hours. Checked by <see cref="CallConfigRequestValidator"/> with
/// <see cref="Jobs.Safety.CallingWindow.TryCreate"/>.
/// </summary>
public sealed record CallingWindowRequest
{
    /// <summary>HH:mm, callee-local.</summary>
    public string? Start { get; init; }

    /// <summary>HH:mm after <see cref="Start"/> on the same day (24:00 is the end of the day).</summary>
    public string? End { get; init; }

    /// <summary>mon, tue, wed, thu, fri, sat, sun; null or empty: every day.</summary>
    public IReadOnlyList<string?>? Days { get; init; }
}
