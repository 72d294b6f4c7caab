namespace CallQueue.Jobs.Operators;

/// <summary>How a cancel request found the call (<see cref="CallCanceller.CancelAsync"/>), and so what it did.</summary>
public enum CancelKind
{
    /// <summary>No call with that id.</summary>
    NotFound,

    /// <summary>Not cancellable (it ended, or it is in progress): left alone.</summary>
    Refused,

    /// <summary>Not dialed yet (queued, scheduled, retry): cancelled, its dial job deleted.</summary>
    NotDialed,

    /// <summary>Placed and not answered (dialing or ringing with a request_uuid): cancelled, and cancelled at Plivo.</summary>
    Placed,

    /// <summary>Claimed, its request to Plivo not answered yet: left alone, to be asked again in a moment.</summary>
    InFlight,
}
