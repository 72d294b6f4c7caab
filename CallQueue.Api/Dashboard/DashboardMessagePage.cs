namespace CallQueue.Api.Dashboard;

/// <summary>A dashboard page that only says something, e.g. that a campaign does not exist.</summary>
internal sealed class DashboardMessagePage(string title, string message) : CallQueueDashboardPage(title)
{
    public override void Execute()
    {
        Markup("<div class=\"row\"><div class=\"col-md-12\">");
        Heading();
        Alert("warning", message);
        Markup("</div></div>");
    }
}
