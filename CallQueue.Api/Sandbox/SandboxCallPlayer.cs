namespace CallQueue.Api.Sandbox;

/// <summary>
/// Plays one call on the TimeProvider's clock: ring callback after the ring delay, then the scripted outcome, then the
/// hangup callback. Callbacks are awaited in order, so a receiver sees ring before hangup.
/// </summary>
internal sealed class SandboxCallPlayer(PlivoSandboxOptions options, TimeProvider timeProvider, SandboxCallbackSender sender, Action<SandboxCall> onEnded)
{
    private const int PlivoDefaultRingTimeoutSeconds = 120;
    private const int PlivoDefaultMachineDetectionMs = 5_000;

    public async Task PlayAsync(SandboxCall call, CancellationToken stoppingToken)
    {
        var outcome = call.Script.Outcome;
        var ringDelay = TimeSpan.FromSeconds(call.Script.RingSeconds ?? options.RingSeconds);
        if (outcome == SandboxOutcome.InvalidNumber)
        {
            await EndAsync(call, SandboxHangup.UnallocatedNumber, stoppingToken);
            return;
        }

        if (!await WaitAsync(call, ringDelay, stoppingToken))
        {
            return;
        }

        if (outcome == SandboxOutcome.NetworkError)
        {
            await EndAsync(call, SandboxHangup.NetworkError, stoppingToken);
            return;
        }

        if (!call.TryStartRinging(timeProvider.GetUtcNow()))
        {
            return;
        }

        await sender.SendAsync(call, call.Request.RingUrl, call.Request.RingMethod, SandboxCallbackParameters.Ring(call), stoppingToken);
        switch (outcome)
        {
            case SandboxOutcome.Busy:
                await EndAsync(call, SandboxHangup.Busy, stoppingToken);
                break;
            case SandboxOutcome.Rejected:
                await EndAsync(call, SandboxHangup.Rejected, stoppingToken);
                break;
            case SandboxOutcome.NoAnswer:
                var ringTimeout = Math.Min(call.Request.RingTimeout ?? PlivoDefaultRingTimeoutSeconds, options.RingTimeoutSeconds);
                if (await WaitAsync(call, TimeSpan.FromSeconds(ringTimeout), stoppingToken))
                {
                    await EndAsync(call, SandboxHangup.NoAnswer, stoppingToken);
                }

                break;
            default:
                await TalkAsync(call, stoppingToken);
                break;
        }
    }

    /// <summary>Sends the hangup callback of a call that has just ended.</summary>
    // A scripted lost hangup callback: the call ends at "Plivo" (CDR, live list) but the callback never arrives.
    public Task SendHangupAsync(SandboxCall call, CancellationToken stoppingToken) =>
        call.Script.LoseHangupCallback
            ? Task.CompletedTask
            : sender.SendAsync(call, call.Request.HangupUrl, call.Request.HangupMethod, SandboxCallbackParameters.Hangup(call), stoppingToken);

    private async Task TalkAsync(SandboxCall call, CancellationToken stoppingToken)
    {
        var answeredAt = timeProvider.GetUtcNow();
        if (!call.TryAnswer(answeredAt))
        {
            return;
        }

        // Ends of answered calls are stamped on the planned timeline (answer + talk), so Duration and
        // BillDuration are exact whatever the scheduling jitter.
        var talk = TimeSpan.FromSeconds(call.Script.TalkSeconds ?? options.TalkSeconds);
        var ending = SandboxHangup.Normal;
        if (call.Request.TimeLimit is int limit && TimeSpan.FromSeconds(limit) < talk)
        {
            talk = TimeSpan.FromSeconds(limit);
            ending = SandboxHangup.TimeLimit;
        }

        if (call.Request.MachineDetection is not null)
        {
            var detectAfter = TimeSpan.FromMilliseconds(call.Request.MachineDetectionTimeMs ?? PlivoDefaultMachineDetectionMs);
            detectAfter = detectAfter < talk ? detectAfter : talk;
            if (!await WaitAsync(call, detectAfter, stoppingToken))
            {
                return;
            }

            var isMachine = call.Script.Outcome == SandboxOutcome.Machine;
            await sender.SendAsync(
                call,
                call.Request.MachineDetectionUrl,
                call.Request.MachineDetectionMethod,
                SandboxCallbackParameters.MachineDetection(call, isMachine),
                stoppingToken);
            if (isMachine && call.Request.MachineDetection == "hangup")
            {
                await EndAsync(call, SandboxHangup.MachineDetected, stoppingToken, answeredAt + detectAfter);
                return;
            }

            if (!await WaitAsync(call, talk - detectAfter, stoppingToken))
            {
                return;
            }
        }
        else if (!await WaitAsync(call, talk, stoppingToken))
        {
            return;
        }

        await EndAsync(call, ending, stoppingToken, answeredAt + talk);
    }

    private async Task EndAsync(SandboxCall call, SandboxHangup hangup, CancellationToken stoppingToken, DateTimeOffset? endedAt = null)
    {
        if (call.TryEnd(hangup, endedAt ?? timeProvider.GetUtcNow()))
        {
            onEnded(call);
            await SendHangupAsync(call, stoppingToken);
        }
    }

    /// <summary>Waits on the sandbox clock; false when the call ended meanwhile (API hangup or reset).</summary>
    private async Task<bool> WaitAsync(SandboxCall call, TimeSpan delay, CancellationToken stoppingToken)
    {
        if (delay > TimeSpan.Zero)
        {
            var finished = await Task.WhenAny(Task.Delay(delay, timeProvider, stoppingToken), call.Ended);
            await finished; // Surfaces shutdown as OperationCanceledException.
        }

        return !call.Ended.IsCompleted;
    }
}
