using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Lifecycle;

/// <summary>Hang up (or cancel the request of) <paramref name="Attempt"/> at Plivo: the call was cancelled while ringing.</summary>
public sealed record CancelAtPlivo(CallAttempt Attempt) : CallEffect;
