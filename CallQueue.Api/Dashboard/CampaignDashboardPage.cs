using CallQueue.Jobs.Audit;
using CallQueue.Jobs.Calls;

namespace CallQueue.Api.Dashboard;

/// <summary>
/// /hangfire/campaigns/{campaign_id}: the campaign's progress and commands, its calls newest first (paged, filtered by
/// status) with each call's reason and a link to its job, and its audit entries. Numbers are masked, as in job names.
/// </summary>
internal sealed class CampaignDashboardPage(CampaignDashboardView view) : CallQueueDashboardPage("Campaign")
{
    public override void Execute()
    {
        var progress = view.Progress;
        var id = progress.Target.Id;
        Markup("<div class=\"row\"><div class=\"col-md-12\">");
        Heading(id);
        Markup("<p>");
        Link(Url.To("/campaigns"), "← All campaigns");
        Markup("</p>");

        Markup("<table class=\"table table-condensed js-campaign-summary\" data-campaign=\"");
        Text(id);
        Markup("\"><tbody><tr><th style=\"width:180px\">State</th><td>");
        StateLabel(progress.State);
        Markup(" ");
        CommandButtons(id, progress.State);
        Markup("</td></tr><tr><th>Progress</th><td>");
        ProgressBar(progress.Done, progress.Total);
        Row("Calls by status", Counts(progress.Counts));
        Row("Last outcomes", Counts(progress.Outcomes));
        Row("Attempts", Inv($"{progress.Attempts}"));
        Row("Answer rate", Percent(progress.AnswerRate));
        Row("Average talk time", progress.AverageTalkSeconds is { } talk ? Inv($"{talk:0.#} s") : "–");
        Row("ETA", Eta(progress.Eta));
        if (progress.Eta.CallingHours is { } hours)
        {
            Row("Calling hours", hours);
        }

        Row("Last activity", Time(progress.LastActivity));
        Markup("</td></tr></tbody></table>");

        CallsSection(id);
        AuditSection();
        Markup("</div></div>");
    }

    private void Row(string name, string value)
    {
        Markup("</td></tr><tr><th>");
        Text(name);
        Markup("</th><td>");
        Text(value);
    }

    private void CallsSection(string id)
    {
        Markup("<h3 id=\"calls-title\">Calls</h3><div class=\"btn-group btn-group-sm\" role=\"group\" style=\"margin-bottom:10px\">");
        StatusFilter(id, null, "all");
        foreach (var status in Enum.GetValues<CallStatus>())
        {
            StatusFilter(id, status, status.ToWire());
        }

        Markup("</div>");
        if (view.Calls.Count == 0)
        {
            Alert("info", view.Status is { } status ? $"No {status.ToWire()} calls on this page of the campaign." : "No calls.");
        }
        else
        {
            CallsTable(view.Calls, "js-campaign-calls", "calls-title", withCampaign: false, linkIds: true);
        }

        Markup("<div class=\"btn-toolbar\" style=\"margin-bottom:20px\">");
        if (view.Cursor is not null)
        {
            Link(CallsUrl(id, view.Status, cursor: null), "Newest", "btn btn-sm btn-default");
        }

        if (view.Next is { } next)
        {
            Link(CallsUrl(id, view.Status, next), "Older calls", "btn btn-sm btn-default js-older-calls");
        }

        Markup("</div>");
    }

    private void StatusFilter(string id, CallStatus? status, string text)
    {
        var active = status == view.Status ? " active" : string.Empty;
        Link(CallsUrl(id, status, cursor: null), text, "btn btn-default" + active);
    }

    private string CallsUrl(string id, CallStatus? status, string? cursor)
    {
        var query = new List<string>();
        if (status is { } value)
        {
            query.Add("status=" + value.ToWire());
        }

        if (cursor is not null)
        {
            query.Add("cursor=" + Uri.EscapeDataString(cursor));
        }

        return CampaignUrl(id) + (query.Count == 0 ? string.Empty : "?" + string.Join("&", query));
    }

    private void AuditSection()
    {
        Markup("<h3 id=\"audit-title\">Operator actions</h3>");
        if (view.Audit.Count == 0)
        {
            Alert("info", "No operator action on this campaign yet.");
            return;
        }

        Markup("<table class=\"table table-condensed js-campaign-audit\" aria-describedby=\"audit-title\"><thead><tr>");
        Markup("<th>When</th><th>Who</th><th>Action</th><th>Calls</th><th>Detail</th></tr></thead><tbody>");
        foreach (var entry in view.Audit)
        {
            AuditRow(entry);
        }

        Markup("</tbody></table>");
    }

    private void AuditRow(AuditEntry entry)
    {
        Markup("<tr class=\"js-audit-row\"><td>");
        Text(Time(entry.At));
        Markup("</td><td>");
        Text(entry.Actor);
        Markup("</td><td>");
        Text(entry.Action);
        Markup("</td><td>");
        Text(entry.Calls);
        Markup("</td><td>");
        Text(entry.Detail ?? string.Empty);
        Markup("</td></tr>");
    }
}
