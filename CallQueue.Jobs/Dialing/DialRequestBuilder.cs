using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Configuration;
using CallQueue.Jobs.Plivo;
using Microsoft.Extensions.Options;

namespace CallQueue.Jobs.Dialing;

/// <summary>Plivo's create-call request for one attempt of a call, with this service's callback URLs for that attempt.</summary>
public sealed class DialRequestBuilder(IOptions<PlivoOptions> plivoOptions, IOptions<QueueOptions> queueOptions)
{
    public MakeCallRequest Build(CallRecord call, int attemptNumber)
    {
        ArgumentNullException.ThrowIfNull(call);
        var options = plivoOptions.Value;
        return new MakeCallRequest
        {
            From = options.Number ?? throw new InvalidOperationException("PLIVO_NUMBER is not set."),
            To = call.PhoneNumber,
            AnswerUrl = call.Config.AnswerUrl,
            AnswerMethod = call.Config.AnswerMethod,
            RingUrl = CallbackUrls.For(options, CallbackUrls.RingPath, call.CallId, attemptNumber),
            HangupUrl = CallbackUrls.For(options, CallbackUrls.HangupPath, call.CallId, attemptNumber),
            TimeLimit = call.Config.MaxDuration ?? queueOptions.Value.DefaultMaxDurationSeconds,
            RingTimeout = call.Config.RingTimeout,
            MachineDetection = call.Config.MachineDetection,
            MachineDetectionUrl = call.Config.MachineDetection is null
                ? null
                : CallbackUrls.For(options, CallbackUrls.MachinePath, call.CallId, attemptNumber),
            MachineDetectionMethod = call.Config.MachineDetection is null ? null : "POST",
        };
    }
}
