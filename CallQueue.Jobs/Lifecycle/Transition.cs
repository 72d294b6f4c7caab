using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Lifecycle;

/// <summary>
/// What <see cref="CallLifecycle.Apply"/> decided: the record to write (<see cref="Next"/>) and the effects to carry out
/// once it is written, or a refusal (<see cref="RefusedAs"/>, with <see cref="Refusal"/> in an operator's words where one
/// is owed). A refused transition writes nothing.
/// </summary>
public sealed record Transition
{
    private Transition(CallRecord? next, IReadOnlyList<CallEffect> effects, RefusalKind? refusedAs, string? refusal)
    {
        Next = next;
        Effects = effects;
        RefusedAs = refusedAs;
        Refusal = refusal;
    }

    public CallRecord? Next { get; }

    public IReadOnlyList<CallEffect> Effects { get; }

    public RefusalKind? RefusedAs { get; }

    public string? Refusal { get; }

    public bool Accepted => Next is not null;

    public static Transition To(CallRecord next, params CallEffect[] effects) => new(next, effects, refusedAs: null, refusal: null);

    public static Transition Refused(RefusalKind kind, string? refusal = null) => new(next: null, [], kind, refusal);

    /// <summary>The one effect of type <typeparamref name="T"/>, or null.</summary>
    public T? Effect<T>()
        where T : CallEffect => Effects.OfType<T>().FirstOrDefault();
}
