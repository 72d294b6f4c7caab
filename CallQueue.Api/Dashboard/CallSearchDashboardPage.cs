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
            Markup("<div class=\"table-responsive\"><table class=\"table js-call-results\" aria-describedby=\"page-title\"><thead><tr>");
            Markup("<th>Call</th><th>Number</th><th>Campaign</th><th>Status</th><th>Reason</th><th>Attempts</th><th>Last outcome</th><th>Queued</th><th>Job</th></tr></thead><tbody>");
            foreach (var call in calls)
            {
                Markup("<tr class=\"js-call-row\" data-call=\"");
                Text(call.CallId);
                Markup("\"><td>");
                Text(call.CallId);
                Markup("</td><td>");
                Text(PhoneNumberMask.Mask(call.PhoneNumber));
                Markup("</td><td>");
                Link(CampaignUrl(call.CampaignId), call.CampaignId);
                Markup("</td><td class=\"js-call-status\">");
                Text(call.Status.ToWire());
                Markup("</td><td>");
                Text(call.StatusReason ?? string.Empty);
                Markup("</td><td>");
                Text(Attempts(call));
                Markup("</td><td>");
                Text(call.LastAttempt?.Outcome?.ToWire() ?? "–");
                Markup("</td><td>");
                Text(Time(call.CreatedAt));
                Markup("</td><td>");
                JobLink(call.JobId);
                Markup("</td></tr>");
            }

            Markup("</tbody></table></div>");
        }

        Markup("</div></div>");
    }
}
