namespace CallQueue.Api.Security;

/// <summary>The authorization policies, by name: routes and the dashboard say which one they need.</summary>
public static class CallQueuePolicies
{
    /// <summary>Any of API_KEYS (or anyone while API_KEYS is unset, outside Production): every /api route but health and Plivo's callbacks.</summary>
    public const string ApiKey = "api-key";

    /// <summary>Either dashboard account: may open /hangfire and see everything.</summary>
    public const string DashboardViewer = "dashboard-viewer";

    /// <summary>The operator account (DASHBOARD_USERNAME): may also requeue and delete.</summary>
    public const string DashboardOperator = "dashboard-operator";
}
