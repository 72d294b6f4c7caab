using CallQueue.Jobs.Calls;

namespace CallQueue.Api.Dashboard;

/// <summary>
/// /hangfire/calls?q=: find calls by call id (a custom_call_id is the call id) or by exact phone number (as the API
/// takes it, E.164; spaces, dashes, dots and brackets are ignored). Each call with its campaign, status, reason,
/// attempts and a link to its job; numbers masked as elsewhere on the dashboard.
/// </summary>
internal sealed class CallSearchDashboardPage(string? query, IReadOnlyList<CallRecord> calls, string? note) : CallQueueDashboardPage("Calls")
{
    public override void Execute()
    {
        Markup("<div class=\"row\"><div class=\"col-md-12\">");
        Heading();
        Markup("<form method=\"get\" action=\"");
        Text(Url.To("/calls"));
        Markup("\" class=\"form-inline\" style=\"margin-bottom:20px\" role=\"search\">");
        Markup("<input type=\"search\" name=\"q\" class=\"form-control js-call-search\" style=\"width:420px\" placeholder=\"call id, custom_call_id or +E.164 number\" aria-label=\"Call id or phone number\" value=\"");
        Text(query ?? string.Empty);
        Markup("\"> <button type=\"submit\" class=\"btn btn-primary\">Search</button></form>");

        if (note is not null)
        {
            Alert(calls.Count == 0 ? "warning" : "info", note);
        }

        if (calls.Count > 0)
        {
            CallsTable(calls, "js-call-results", "page-title", withCampaign: true, linkIds: false);
        }

        Markup("</div></div>");
    }
}
