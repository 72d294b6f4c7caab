using System.Globalization;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Campaigns;
using Hangfire.Dashboard;
using Hangfire.Dashboard.Pages;

namespace CallQueue.Api.Dashboard;

/// <summary>
/// The base of CallQueue's own dashboard pages: Hangfire's layout (navigation, styles, its scripts: <c>data-ajax</c>
/// buttons post with its CSRF header and reload), and writers that HTML-encode every value (<see cref="Text"/>);
/// markup is only ever written from literals here.
/// </summary>
internal abstract class CallQueueDashboardPage : RazorPage
{
    protected CallQueueDashboardPage(string title)
    {
        Title = title;
        Layout = new LayoutPage(title);
    }

    protected string Title { get; }

    /// <summary>Writes <paramref name="value"/> HTML-encoded (text and attribute values alike).</summary>
    protected void Text(object? value) => Write(value?.ToString() ?? string.Empty);

    protected void Markup(string html) => WriteLiteral(html);

    protected void Heading(string? subtitle = null)
    {
        Markup("<h1 id=\"page-title\" class=\"page-header\">");
        Text(Title);
        if (subtitle is not null)
        {
            Markup(" <small>");
            Text(subtitle);
            Markup("</small>");
        }

        Markup("</h1>");
    }

    protected void Alert(string kind, string message)
    {
        Markup($"<div class=\"alert alert-{kind}\">");
        Text(message);
        Markup("</div>");
    }

    /// <summary>A link to <paramref name="href"/> (already a URL of this dashboard) reading <paramref name="text"/>.</summary>
    protected void Link(string href, string text, string? cssClass = null)
    {
        Markup("<a href=\"");
        Text(href);
        Markup(cssClass is null ? "\">" : $"\" class=\"{cssClass}\">");
        Text(text);
        Markup("</a>");
    }

    protected string CampaignUrl(string campaignId) => Url.To("/campaigns/" + Uri.EscapeDataString(campaignId));

    /// <summary>The call's job (<c>/hangfire/jobs/details/{id}</c>), or a dash for a call without one yet.</summary>
    protected void JobLink(string? jobId)
    {
        if (jobId is null)
        {
            Markup("<span class=\"text-muted\">–</span>");
            return;
        }

        Link(Url.JobDetails(jobId), "#" + jobId, "js-job-link");
    }

    protected void StateLabel(CampaignState state)
    {
        var kind = state switch
        {
            CampaignState.Active => "success",
            CampaignState.Paused => "warning",
            CampaignState.Cancelled => "danger",
            _ => "default",
        };
        Markup($"<span class=\"label label-{kind} js-campaign-state\">");
        Text(state.ToWire());
        Markup("</span>");
    }

    protected void ProgressBar(long done, long total)
    {
        var percent = total == 0 ? 0 : (int)Math.Round(100.0 * done / total);
        Markup($"<div class=\"progress\" style=\"margin-bottom:0;min-width:120px\" title=\"{Inv($"{done} of {total} calls ended")}\">");
        Markup($"<div class=\"progress-bar\" role=\"progressbar\" aria-valuenow=\"{percent}\" aria-valuemin=\"0\" aria-valuemax=\"100\" style=\"width:{percent}%\"></div></div>");
        Markup("<span class=\"js-campaign-progress\">");
        Text(Inv($"{done} / {total}"));
        Markup("</span>");
    }

    /// <summary>
    /// Pause / Resume / Cancel, as the state allows, for the operator only (callers check <see cref="RazorPage.IsReadOnly"/>;
    /// the commands refuse the read-only account anyway). Hangfire's script posts <c>data-ajax</c> and reloads the page.
    /// </summary>
    protected void CommandButtons(string campaignId, CampaignState state)
    {
        if (IsReadOnly)
        {
            return;
        }

        var commands = "/campaigns/" + Uri.EscapeDataString(campaignId) + "/";
        if (state == CampaignState.Active)
        {
            Button(Url.To(commands + "pause"), "Pause", "btn-warning", confirm: null);
        }

        if (state == CampaignState.Paused)
        {
            Button(Url.To(commands + "resume"), "Resume", "btn-success", confirm: null);
        }

        if (state is CampaignState.Active or CampaignState.Paused)
        {
            Button(Url.To(commands + "cancel"), "Cancel", "btn-danger", $"Cancel campaign {campaignId}? Every call not dialed yet is cancelled; calls in progress finish.");
        }
    }

    private void Button(string url, string text, string kind, string? confirm)
    {
        Markup($"<button type=\"button\" class=\"btn btn-xs {kind} js-campaign-command\" data-ajax=\"");
        Text(url);
        Markup("\" data-loading-text=\"…\"");
        if (confirm is not null)
        {
            Markup(" data-confirm=\"");
            Text(confirm);
            Markup("\"");
        }

        Markup(">");
        Text(text);
        Markup("</button> ");
    }

    /// <summary>
    /// A table of calls (one row each: id, masked number, status, reason, attempts, last outcome, queued at, job link), with
    /// a campaign column when <paramref name="withCampaign"/>; each id links to the call's search result when
    /// <paramref name="linkIds"/>. Rows carry <c>js-call-row</c> and <c>data-call</c> for the browser tests.
    /// </summary>
    protected void CallsTable(IEnumerable<CallRecord> calls, string tableClass, string describedBy, bool withCampaign, bool linkIds)
    {
        ArgumentNullException.ThrowIfNull(calls);
        Markup(Inv($"<div class=\"table-responsive\"><table class=\"table {tableClass}\" aria-describedby=\"{describedBy}\"><thead><tr>"));
        Markup(withCampaign
            ? "<th>Call</th><th>Number</th><th>Campaign</th><th>Status</th><th>Reason</th><th>Attempts</th><th>Last outcome</th><th>Queued</th><th>Job</th></tr></thead><tbody>"
            : "<th>Call</th><th>Number</th><th>Status</th><th>Reason</th><th>Attempts</th><th>Last outcome</th><th>Queued</th><th>Job</th></tr></thead><tbody>");
        foreach (var call in calls)
        {
            Markup("<tr class=\"js-call-row\" data-call=\"");
            Text(call.CallId);
            Markup("\"><td>");
            if (linkIds)
            {
                Link(Url.To("/calls?q=" + Uri.EscapeDataString(call.CallId)), call.CallId);
            }
            else
            {
                Text(call.CallId);
            }

            Markup("</td><td>");
            Text(PhoneNumberMask.Mask(call.PhoneNumber));
            if (withCampaign)
            {
                Markup("</td><td>");
                Link(CampaignUrl(call.CampaignId), call.CampaignId);
            }

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

    protected static string Percent(double? rate) => rate is { } value ? Inv($"{value:P0}") : "–";

    /// <summary>Counts by status, those above zero: "queued 3 · completed 5".</summary>
    protected static string Counts(IReadOnlyDictionary<string, long> counts) =>
        string.Join(" · ", counts.Where(pair => pair.Value > 0).Select(pair => Inv($"{pair.Key} {pair.Value}")));

    protected static string Time(DateTimeOffset? at) => at is { } value ? Inv($"{value.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC") : "–";

    protected static string Eta(CampaignEta eta) => eta.PlacedBy is { } placedBy
        ? Inv($"{Time(placedBy)} ({eta.CallsToPlace} to place at {eta.DialsPerSecond:0.##}/s, bound by {eta.BoundBy})")
        : eta.Note ?? "–";

    protected static string Attempts(CallRecord call) => Inv($"{call.Attempts.Count} / {call.AttemptBudget}");

    protected static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
