using System.Text.RegularExpressions;
using CallQueue.Api.Audit;
using CallQueue.Api.Calls;
using CallQueue.Api.Campaigns;
using CallQueue.Jobs.Audit;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Campaigns;
using CallQueue.Jobs.Storage;
using Hangfire.Dashboard;

namespace CallQueue.Api.Dashboard;

/// <summary>
/// The dashboard's Campaigns and Calls pages (issue 12), through Hangfire's extension points: routes in
/// <see cref="DashboardRoutes.Routes"/>, items in <see cref="NavigationMenu.Items"/>, and Pause / Resume / Cancel as
/// Hangfire commands (Hangfire's <c>AddCommand</c>:
/// POST only, refused with 401 for the read-only account, 204 when done, 422 when the state does not allow it). Both
/// lists are static in Hangfire, so this registers once per process, and every request reads the services of its own app.
/// </summary>
internal static partial class CampaignsDashboard
{
    public const int CampaignsPerPage = 20;
    public const int CallsPerPage = 25;
    public const int AuditEntriesShown = 20;
    public const int SearchLimit = 50;

    /// <summary>Most calls one filtered page reads, so a rare status in a huge campaign cannot make a page unbounded.</summary>
    public const int FilterScanBudget = 2_000;

    private const int MaxQueryLength = 200;

    private static readonly Lazy<bool> Registration = new(() =>
    {
        DashboardRoutes.Routes.Add("/campaigns", new DashboardPageDispatcher(CampaignsAsync));
        DashboardRoutes.Routes.Add("/campaigns/(?<id>[^/]+)", new DashboardPageDispatcher(CampaignAsync));
        DashboardRoutes.Routes.AddCommand("/campaigns/(?<id>[^/]+)/(?<action>pause|resume|cancel)", Command);
        DashboardRoutes.Routes.Add("/calls", new DashboardPageDispatcher(SearchAsync));
        NavigationMenu.Items.Add(page => new MenuItem("Campaigns", page.Url.To("/campaigns"))
        {
            Active = page.RequestPath.StartsWith("/campaigns", StringComparison.OrdinalIgnoreCase),
        });
        NavigationMenu.Items.Add(page => new MenuItem("Calls", page.Url.To("/calls"))
        {
            Active = page.RequestPath.StartsWith("/calls", StringComparison.OrdinalIgnoreCase),
        });
        return true;
    });

    /// <summary>Adds the pages, their menu items and commands, once per process however many apps start.</summary>
    public static void Register() => _ = Registration.Value;

    private static async Task<RazorPage> CampaignsAsync(DashboardContext context)
    {
        var http = context.GetHttpContext();
        var cursor = NullIfEmpty(context.Request.GetQuery("cursor"));
        var campaigns = await http.RequestServices.GetRequiredService<CampaignProgressReader>().ListAsync(cursor, CampaignsPerPage, http.RequestAborted);
        return new CampaignsDashboardPage(campaigns, cursor);
    }

    private static async Task<RazorPage> CampaignAsync(DashboardContext context)
    {
        var http = context.GetHttpContext();
        var services = http.RequestServices;
        var id = context.UriMatch.Groups["id"].Value;
        var target = ControlTarget.Campaign(id);
        if (await services.GetRequiredService<CampaignProgressReader>().GetAsync(target, http.RequestAborted) is not { } progress)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return new DashboardMessagePage("Campaign", $"No campaign '{id}': no call was ever queued with that campaign_id.");
        }

        var status = ParseStatus(context.Request.GetQuery("status"));
        var cursor = NullIfEmpty(context.Request.GetQuery("cursor"));
        CampaignCursor? position = cursor is not null && CampaignCursorToken.TryDecode(cursor, out var decoded) ? decoded : null;
        var (calls, next) = await CallsPageAsync(services.GetRequiredService<ICallStore>(), id, status, position, http.RequestAborted);
        var audit = await services.GetRequiredService<IAuditLog>().ListAsync(new AuditQuery(target.ToString(), Limit: AuditEntriesShown), http.RequestAborted);
        return new CampaignDashboardPage(new CampaignDashboardView(progress, calls, status, position is null ? null : cursor, next, audit));
    }

    /// <summary>One page of the campaign's calls, newest first, from its index (as GET /api/campaigns/{id}/calls walks it).</summary>
    private static Task<(List<CallRecord> Calls, string? Next)> CallsPageAsync(
        ICallStore store, string campaignId, CallStatus? status, CampaignCursor? position, CancellationToken cancellationToken) =>
        new CampaignCallsWalk(CallsPerPage, CallsPerPage * 4, FilterScanBudget).PageAsync(store, campaignId, status, position, cancellationToken);

    /// <summary>
    /// Pause, resume or cancel from the dashboard, under the signed-in user's name (CampaignControl records the audit
    /// entry). Hangfire's commands are synchronous, hence the wait; a cancel runs to its end even if the browser leaves.
    /// </summary>
    private static bool Command(DashboardContext context)
    {
        var http = context.GetHttpContext();
        var target = ControlTarget.Campaign(context.UriMatch.Groups["id"].Value);
        var action = Enum.Parse<ControlAction>(context.UriMatch.Groups["action"].Value, ignoreCase: true);
        var control = http.RequestServices.GetRequiredService<CampaignControl>();
        var result = control.ApplyAsync(target, action, AuditRecorder.ActorOf(http.User), CancellationToken.None).GetAwaiter().GetResult();
        return result.Outcome == ControlOutcome.Changed;
    }

    private static async Task<RazorPage> SearchAsync(DashboardContext context)
    {
        var http = context.GetHttpContext();
        var query = context.Request.GetQuery("q")?.Trim();
        if (string.IsNullOrEmpty(query))
        {
            return new CallSearchDashboardPage(null, [], null);
        }

        if (query.Length > MaxQueryLength)
        {
            return new CallSearchDashboardPage(query[..MaxQueryLength], [], "Too long for a call id or a phone number.");
        }

        var store = http.RequestServices.GetRequiredService<ICallStore>();
        var found = new List<CallRecord>();
        if (await store.GetAsync(query, http.RequestAborted) is { } byId)
        {
            found.Add(byId);
        }

        if (PhoneNumber(query) is { } number)
        {
            var ids = await store.FindCallIdsByPhoneNumberAsync(number, SearchLimit, http.RequestAborted);
            var byNumber = await store.GetManyAsync(ids.Where(id => found.All(call => call.CallId != id)).ToList(), http.RequestAborted);
            found.AddRange(byNumber.OrderByDescending(call => call.CreatedAt));
        }

        var note = found.Count == 0
            ? $"No call with the id or the number {(PhoneNumber(query) is { } masked ? PhoneNumberMask.Mask(masked) : query)}."
            : found.Count >= SearchLimit ? $"The newest {SearchLimit} calls to that number." : null;
        return new CallSearchDashboardPage(query, found, note);
    }

    /// <summary>The query as an E.164 number, as the API takes numbers (separators people type are dropped; 00 means +), or null.</summary>
    internal static string? PhoneNumber(string query)
    {
        var digits = Separators().Replace(query, string.Empty);
        if (digits.StartsWith("00", StringComparison.Ordinal))
        {
            digits = "+" + digits[2..];
        }

        return RequestFormats.IsE164(digits) ? digits : null;
    }

    private static CallStatus? ParseStatus(string? status) =>
        Enum.GetValues<CallStatus>().Select(value => (CallStatus?)value).FirstOrDefault(value => value!.Value.ToWire() == status);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    [GeneratedRegex(@"[\s\-.()]")]
    private static partial Regex Separators();
}
