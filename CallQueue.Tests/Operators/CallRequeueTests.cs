using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Lifecycle;
using CallQueue.Jobs.Operators;
using static CallQueue.Tests.Lifecycle.LifecycleSamples;

namespace CallQueue.Tests.Operators;

/// <summary>How a requeue reads in the job's history (the rules themselves: CallLifecycleCommandsTests).</summary>
[TestFixture]
[Category("Unit")]
[Parallelizable(ParallelScope.All)]
public sealed class CallRequeueTests
{
    [Test]
    public void JobReason_RequeuedCall_NamesWhereFromAndTheNextAttemptOfItsFreshBudget()
    {
        var requeued = Apply(Call(CallStatus.Failed, Ended(1, CallOutcome.Busy), Ended(2, CallOutcome.NoAnswer)) with { MaxRetries = 1 }, new RequeueCall("dashboard")).Next!;

        Assert.That(CallRequeue.JobReason(requeued, "dashboard"), Is.EqualTo("Requeued by operator via the dashboard: next attempt 3 of 4"));
    }
}
