using CallQueue.Jobs.Plivo;

namespace CallQueue.Jobs.Lifecycle;

/// <summary>An attempt's result read from Plivo's call detail record, when the hangup callback never came.</summary>
public static class CallDetailRecordResult
{
    public static AttemptResult From(CallDetailRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new AttemptResult
        {
            CallUuid = record.CallUuid,
            HangupCauseCode = record.HangupCauseCode,
            HangupCauseName = record.HangupCauseName,
            HangupSource = record.HangupSource,
            AnswerTime = PlivoTimestamp.ParseOrNull(record.AnswerTime),
            EndTime = PlivoTimestamp.ParseOrNull(record.EndTime),
            Duration = record.CallDuration,
            BillDuration = record.BillDuration,
            Source = "call detail record",
        };
    }
}
