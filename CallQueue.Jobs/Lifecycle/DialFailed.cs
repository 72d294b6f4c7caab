namespace CallQueue.Jobs.Lifecycle;

/// <summary>The create-call request of attempt <paramref name="Attempt"/> placed no call (<paramref name="Failure"/>); <paramref name="Error"/> says why.</summary>
public sealed record DialFailed(int Attempt, DialFailure Failure, string Error) : CallEvent;
