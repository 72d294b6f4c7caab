using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Lifecycle;

namespace CallQueue.Tests.Lifecycle;

/// <summary>Each Plivo hangup (real cause codes, reference §4.4) drives the documented outcome and retry decision.</summary>
[TestFixture]
public sealed class HangupOutcomeClassifierTests
{
    [TestCase("completed", 4000, "NORMAL_CLEARING", "Normal Hangup", true, 42, CallOutcome.Answered, false)]
    [TestCase("completed", 4010, "NORMAL_CLEARING", "End Of XML Instructions", true, 12, CallOutcome.Answered, false)]
    [TestCase("completed", 6000, "ALLOTTED_TIMEOUT", "Scheduled Hangup", true, 600, CallOutcome.Answered, false)]
    [TestCase("busy", 3010, "USER_BUSY", "Busy Line", false, 0, CallOutcome.Busy, true)]
    [TestCase("no-answer", 3000, "NO_ANSWER", "No Answer", false, 0, CallOutcome.NoAnswer, true)]
    [TestCase("timeout", 6010, "NO_ANSWER", "Ring Timeout Reached", false, 0, CallOutcome.NoAnswer, true)]
    [TestCase("completed", 6010, "NO_ANSWER", "Ring Timeout Reached", false, 0, CallOutcome.NoAnswer, true)]
    [TestCase("failed", 3090, "NORMAL_TEMPORARY_FAILURE", "Network Congestion", false, 0, CallOutcome.NetworkError, true)]
    [TestCase("failed", 3080, "NETWORK_OUT_OF_ORDER", "Carrier-side error", false, 0, CallOutcome.NetworkError, true)]
    [TestCase("failed", 5000, "NETWORK_OUT_OF_ORDER", "Network error", false, 0, CallOutcome.NetworkError, true)]
    [TestCase("failed", 5030, "CALL_REJECTED", "Concurrency Limit Breached", false, 0, CallOutcome.ProviderError, true)]
    [TestCase("busy", 3020, "CALL_REJECTED", "Rejected", false, 0, CallOutcome.Rejected, false)]
    [TestCase("failed", 3110, "CALL_REJECTED", "Declined", false, 0, CallOutcome.Rejected, false)]
    [TestCase("failed", 3050, "UNALLOCATED_NUMBER", "Unallocated Number", false, 0, CallOutcome.InvalidNumber, false)]
    [TestCase("failed", 2000, "INVALID_NUMBER_FORMAT", "Invalid Destination Address", false, 0, CallOutcome.InvalidNumber, false)]
    [TestCase("failed", 2040, "CALL_REJECTED", "Destination Number Barred", false, 0, CallOutcome.InvalidNumber, false)]
    [TestCase("completed", 9100, "NORMAL_CLEARING", "Machine Detected", true, 3, CallOutcome.Machine, true)]
    [TestCase("cancel", 1000, "ORIGINATOR_CANCEL", "Canceled", false, 0, CallOutcome.Cancelled, false)]
    [TestCase("failed", 1010, "CALL_REJECTED", "Canceled (Out Of Credits)", false, 0, CallOutcome.ProviderError, false)]
    [TestCase("completed", 7011, "NORMAL_CLEARING", "Error Reaching Answer URL", true, 1, CallOutcome.ProviderError, false)]
    [TestCase("completed", 0, "", "Unknown", false, 0, CallOutcome.NoAnswer, true)]
    [TestCase("", 0, "", "", false, 0, CallOutcome.Unknown, false)]
    public void Classify_PlivoHangup_GivesOutcomeAndRetryDecision(
        string callStatus, int code, string cause, string causeName, bool answered, int billDuration, CallOutcome expected, bool retryable)
    {
        var result = new AttemptResult
        {
            CallStatus = callStatus,
            HangupCauseCode = code == 0 ? null : code,
            HangupCause = cause,
            HangupCauseName = causeName,
            AnswerTime = answered ? DateTimeOffset.Parse("2026-11-24T10:00:05Z", System.Globalization.CultureInfo.InvariantCulture) : null,
            BillDuration = billDuration,
        };

        var classification = HangupOutcomeClassifier.Classify(result);

        Assert.Multiple(() =>
        {
            Assert.That(classification.Outcome, Is.EqualTo(expected));
            Assert.That(classification.Retryable, Is.EqualTo(retryable));
        });
    }

    [Test]
    public void Classify_AnsweredWithMachineDetected_IsMachineAndRetried()
    {
        var result = new AttemptResult { CallStatus = "completed", HangupCauseCode = 4000, HangupCauseName = "Normal Hangup", BillDuration = 20 };

        var classification = HangupOutcomeClassifier.Classify(result, machineDetected: true);

        Assert.Multiple(() =>
        {
            Assert.That(classification.Outcome, Is.EqualTo(CallOutcome.Machine));
            Assert.That(classification.Retryable, Is.True);
        });
    }

    [Test]
    public void Classify_Busy_DescribesTheCauseForPeople()
    {
        var result = new AttemptResult { CallStatus = "busy", HangupCauseCode = 3010, HangupCauseName = "Busy Line" };

        Assert.That(HangupOutcomeClassifier.Classify(result).Description, Is.EqualTo("Busy (3010 Busy Line)"));
    }
}
