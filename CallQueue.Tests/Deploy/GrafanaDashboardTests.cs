using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CallQueue.Tests.Operations;
using CallQueue.Tests.Support;

namespace CallQueue.Tests.Deploy;

/// <summary>
/// deploy/observability/grafana/dashboards/callqueue.json: a Grafana dashboard whose every query names only series the
/// service really exports (checked against /metrics of a running app, parsed by Prometheus' parser), on the provisioned
/// data source, with panels that do not overlap. Grafana itself is not run here (no Docker engine): loading it is the
/// compose profile's manual check (README).
/// </summary>
[TestFixture]
public sealed partial class GrafanaDashboardTests
{
    private static readonly string[] Prefixes = ["callqueue_", "http_", "httpclient_", "system_runtime_", "process_", "dotnet_"];

    [Test]
    public async Task Dashboard_EveryQuery_NamesSeriesThatMetricsExports()
    {
        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(RepositoryPaths.File("deploy", "observability", "grafana", "dashboards", "callqueue.json")));
        var panels = dashboard.RootElement.GetProperty("panels").EnumerateArray().ToList();
        var expressions = panels.SelectMany(panel => panel.GetProperty("targets").EnumerateArray().Select(target => target.GetProperty("expr").GetString()!)).ToList();
        var names = expressions.SelectMany(expr => MetricName().Matches(expr).Select(match => match.Value))
            .Where(name => Prefixes.Any(name.StartsWith))
            .Distinct(StringComparer.Ordinal)
            .ToList();

        await using var app = CallQueueApp.InMemory();
        using var client = app.Client();
        using var queued = await client.PostAsJsonAsync("/api/calls/queue", new
        {
            phone_number = "+14155550123",
            campaign_id = "grafana",
            call_config = new { answer_url = "https://agent.example.com/answer" },
        });
        using var body = JsonDocument.Parse(await queued.Content.ReadAsStringAsync());
        await app.WaitForCallAsync(body.RootElement.GetProperty("call_id").GetString()!, call => call.Status.ToString() == "Completed");
        var families = (await PrometheusTextParser.ParseAsync(await client.GetStringAsync(new Uri("/metrics", UriKind.Relative))))
            .Select(family => family.Name)
            .ToHashSet(StringComparer.Ordinal);

        Assert.Multiple(() =>
        {
            Assert.That(dashboard.RootElement.GetProperty("uid").GetString(), Is.EqualTo("callqueue"));
            Assert.That(panels, Has.Count.GreaterThanOrEqualTo(10));
            Assert.That(names, Has.Count.GreaterThanOrEqualTo(15));
            foreach (var name in names)
            {
                Assert.That(families, Has.Member(FamilyName(name)), $"{name} is used by the dashboard but not exported");
            }

            foreach (var panel in panels)
            {
                Assert.That(panel.GetProperty("datasource").GetProperty("uid").GetString(), Is.EqualTo("prometheus"), "the provisioned data source");
            }

            var cells = panels.SelectMany(Cells).ToList();
            Assert.That(cells, Is.Unique, "panels do not overlap");
        });
    }

    /// <summary>The family a series belongs to, as the parser names it (counters without <c>_total</c>, histograms without their suffixes).</summary>
    private static string FamilyName(string series)
    {
        foreach (var suffix in new[] { "_total", "_bucket", "_count", "_sum" })
        {
            if (series.EndsWith(suffix, StringComparison.Ordinal))
            {
                return series[..^suffix.Length];
            }
        }

        return series;
    }

    private static IEnumerable<(int X, int Y)> Cells(JsonElement panel)
    {
        var grid = panel.GetProperty("gridPos");
        int x = grid.GetProperty("x").GetInt32(), y = grid.GetProperty("y").GetInt32(), w = grid.GetProperty("w").GetInt32(), h = grid.GetProperty("h").GetInt32();
        return Enumerable.Range(x, w).SelectMany(cx => Enumerable.Range(y, h).Select(cy => (cx, cy)));
    }

    [GeneratedRegex("[a-z_][a-z0-9_]*")]
    private static partial Regex MetricName();
}
