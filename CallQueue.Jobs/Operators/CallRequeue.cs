using System.Globalization;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Lifecycle;

namespace CallQueue.Jobs.Operators;

/// <summary>
/// How an operator's requeue shows in Hangfire, shared by the dashboard's Requeue (<see cref="OperatorRequeueFilter"/>)
/// and POST /api/calls/{call_id}/requeue. The rules themselves (who may be requeued, the fresh budget, the note) are the
/// state machine's <see cref="RequeueCall"/> transition.
/// </summary>
public static class CallRequeue
{
    /// <summary>The reason Hangfire's dashboard gives every state change it triggers (Hangfire's DashboardRoutes).</summary>
    public const string DashboardStateReason = "Triggered via Dashboard UI";

    /// <summary>The reason of the Enqueued state asked for by POST /api/calls/{call_id}/requeue.</summary>
    public const string ApiStateReason = "Requeued by operator via the API";

    /// <summary>"Requeued by operator via the dashboard: next attempt 3 of 3", for the job's history.</summary>
    public static string JobReason(CallRecord requeued, string via)
    {
        ArgumentNullException.ThrowIfNull(requeued);
        return string.Create(
            CultureInfo.InvariantCulture, $"{CallLifecycle.RequeuedReason} via the {via}: next attempt {requeued.Attempts.Count + 1} of {requeued.AttemptBudget}");
    }
}
