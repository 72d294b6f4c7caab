using CallQueue.Jobs.Campaigns;

namespace CallQueue.Api.Dashboard;

/// <summary>
/// /hangfire/campaigns: every campaign, newest first, with its progress (ended / total), counts by status, answer rate,
/// state and ETA; Pause / Resume / Cancel for the operator account only (the commands refuse the read-only one too).
/// </summary>
internal sealed class CampaignsDashboardPage(CampaignPage campaigns, string? cursor) : CallQueueDashboardPage("Campaigns")
{
    public override void Execute()
    {
        Markup("<div class=\"row\"><div class=\"col-md-12\">");
        Heading();
        if (campaigns.Items.Count == 0)
        {
            Alert("info", cursor is null ? "No campaigns yet: calls queued with a campaign_id show here." : "No more campaigns.");
        }
        else
        {
            Markup("<div class=\"table-responsive\"><table class=\"table js-campaigns\" aria-describedby=\"page-title\"><thead><tr>");
            Markup("<th>Campaign</th><th>State</th><th>Progress</th><th>Calls</th><th>Answer rate</th><th>ETA</th><th>Last activity</th>");
            if (!IsReadOnly)
            {
                Markup("<th class=\"min-width\"></th>");
            }

            Markup("</tr></thead><tbody>");
            foreach (var campaign in campaigns.Items)
            {
                Row(campaign);
            }

            Markup("</tbody></table></div>");
        }

        Markup("<div class=\"btn-toolbar\">");
        if (cursor is not null)
        {
            Link(Url.To("/campaigns"), "Newest", "btn btn-sm btn-default");
        }

        if (campaigns.Next is { } next)
        {
            Link(Url.To("/campaigns?cursor=" + Uri.EscapeDataString(next)), "Older campaigns", "btn btn-sm btn-default");
        }

        Markup("</div></div></div>");
    }

    private void Row(CampaignProgress campaign)
    {
        var id = campaign.Target.Id;
        Markup("<tr class=\"js-campaign-row\" data-campaign=\"");
        Text(id);
        Markup("\"><td>");
        Link(CampaignUrl(id), id);
        Markup("</td><td>");
        StateLabel(campaign.State);
        Markup("</td><td>");
        ProgressBar(campaign.Done, campaign.Total);
        Markup("</td><td>");
        Text(Counts(campaign.Counts));
        Markup("</td><td>");
        Text(Percent(campaign.AnswerRate));
        Markup("</td><td>");
        Text(Eta(campaign.Eta));
        Markup("</td><td>");
        Text(Time(campaign.LastActivity));
        Markup("</td>");
        if (!IsReadOnly)
        {
            Markup("<td class=\"min-width\" style=\"white-space:nowrap\">");
            CommandButtons(campaign.Target.Id, campaign.State);
            Markup("</td>");
        }

        Markup("</tr>");
    }
}
