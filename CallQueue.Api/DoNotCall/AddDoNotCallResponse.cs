namespace CallQueue.Api.DoNotCall;

/// <summary>The answer to POST /api/dnc: how many numbers were listed now, how many already were, and the ones refused.</summary>
public sealed record AddDoNotCallResponse(int Added, int AlreadyListed, IReadOnlyList<DoNotCallRejection> Rejected);
