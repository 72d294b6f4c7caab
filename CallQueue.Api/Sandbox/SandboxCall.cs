namespace CallQueue.Api.Sandbox;

/// <summary>
/// One call the sandbox is playing: queued → ringing → in-progress → ended. Every transition is atomic, so a natural
/// end and an API hangup racing each other produce exactly one hangup. <see cref="Ended"/> completes on any end.
/// </summary>
internal sealed class SandboxCall(string requestUuid, string callUuid, SandboxCallRequest request, SandboxNumberScript script, DateTimeOffset initiatedAt)
{
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset? _ringAt;
    private DateTimeOffset? _answerAt;
    private DateTimeOffset? _endAt;
    private SandboxHangup? _hangup;
    private bool _isOver;

    public string RequestUuid { get; } = requestUuid;

    public string CallUuid { get; } = callUuid;

    public SandboxCallRequest Request { get; } = request;

    public SandboxNumberScript Script { get; } = script;

    public DateTimeOffset InitiatedAt { get; } = initiatedAt;

    /// <summary>Completes when the call ends for any reason (hangup, API, reset).</summary>
    public Task Ended => _ended.Task;

    public bool TryStartRinging(DateTimeOffset now) => Transition(() => _ringAt is null, () => _ringAt = now);

    public bool TryAnswer(DateTimeOffset now) => Transition(() => _ringAt is not null && _answerAt is null, () => _answerAt = now);

    public bool TryEnd(SandboxHangup hangup, DateTimeOffset now) => Transition(() => true, () => Finish(hangup, now));

    /// <summary>Ends the call on an API request; null when it had already ended (or was answered and only unanswered ones qualify).</summary>
    public SandboxHangup? TryEndByApi(bool onlyIfUnanswered, DateTimeOffset now)
    {
        SandboxHangup? hangup = null;
        Transition(
            () => !onlyIfUnanswered || _answerAt is null,
            () =>
            {
                hangup = _answerAt is null ? SandboxHangup.ApiCancel : SandboxHangup.ApiHangup;
                Finish(hangup, now);
            });
        return hangup;
    }

    /// <summary>Stops the call without a hangup (sandbox reset).</summary>
    public void Abandon()
    {
        lock (_gate)
        {
            _isOver = true;
        }

        _ended.TrySetResult();
    }

    public SandboxCallSnapshot Snapshot()
    {
        lock (_gate)
        {
            var duration = _answerAt is { } answered && _endAt is { } ended
                ? (int)Math.Round((ended - answered).TotalSeconds, MidpointRounding.AwayFromZero)
                : 0;
            return new SandboxCallSnapshot
            {
                RequestUuid = RequestUuid,
                CallUuid = CallUuid,
                From = Request.From,
                To = Request.To,
                Outcome = Script.Outcome,
                CallStatus = _hangup?.CallStatus ?? (_answerAt is not null ? "in-progress" : _ringAt is not null ? "ringing" : "queued"),
                InitiatedAt = InitiatedAt,
                RingAt = _ringAt,
                AnswerAt = _answerAt,
                EndAt = _endAt,
                HangupCause = _hangup?.Cause,
                HangupCauseCode = _hangup?.Code,
                HangupCauseName = _hangup?.Name,
                HangupSource = _hangup?.Source,
                Duration = duration,
                BillDuration = duration,
            };
        }
    }

    private bool Transition(Func<bool> allowed, Action apply)
    {
        bool isOver;
        lock (_gate)
        {
            if (_isOver || !allowed())
            {
                return false;
            }

            apply();
            isOver = _isOver;
        }

        if (isOver)
        {
            _ended.TrySetResult();
        }

        return true;
    }

    private void Finish(SandboxHangup hangup, DateTimeOffset now)
    {
        _hangup = hangup;
        _endAt = now;
        _isOver = true;
    }
}
