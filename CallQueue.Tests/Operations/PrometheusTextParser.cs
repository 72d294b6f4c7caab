using System.Diagnostics;
using System.Text.Json;

namespace CallQueue.Tests.Operations;

/// <summary>
/// Parses Prometheus' text exposition format with the Prometheus project's own Python client parser
/// (<c>prometheus_client.parser.text_string_to_metric_families</c>, Debian's python3-prometheus-client, which
/// run-tests.sh installs): no .NET parser of the format is packaged, and a parser written here would only agree with
/// the exporter's own idea of the format. The parser refuses what it cannot read (bad names, label syntax or escapes,
/// values), which fails the test with its message.
/// </summary>
public static class PrometheusTextParser
{
    /// <summary>Debian's interpreter, where apt installs the module (a pyenv or venv python3 on PATH may lack it).</summary>
    private const string Python = "/usr/bin/python3";

    private const string Script = """
        import json, math, sys
        from prometheus_client.parser import text_string_to_metric_families
        def value(v):
            return None if math.isnan(v) else ("+Inf" if v == math.inf else ("-Inf" if v == -math.inf else v))
        families = [
            {"name": f.name, "type": f.type,
             "samples": [{"name": s.name, "labels": s.labels, "value": value(s.value)} for s in f.samples]}
            for f in text_string_to_metric_families(sys.stdin.read())]
        json.dump(families, sys.stdout)
        """;

    public static async Task<IReadOnlyList<PrometheusFamily>> ParseAsync(string exposition)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            ArgumentList = { "-c", Script },
        };
        if (!File.Exists(Python))
        {
            Assert.Fail($"{Python} not found: install the Prometheus text parser with `apt-get install python3-prometheus-client` (run-tests.sh does).");
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (process.ExitCode != 0)
        {
            var message = await error;
            Assert.Fail(message.Contains("No module named 'prometheus_client'", StringComparison.Ordinal)
                ? "The Prometheus text parser is missing: apt-get install python3-prometheus-client (run-tests.sh does)."
                : $"/metrics does not parse as Prometheus text format:\n{message}\n--- exposition ---\n{exposition}");
        }

        using var json = JsonDocument.Parse(await output);
        return json.RootElement.EnumerateArray().Select(family => new PrometheusFamily(
            family.GetProperty("name").GetString()!,
            family.GetProperty("type").GetString()!,
            family.GetProperty("samples").EnumerateArray().Select(sample => new PrometheusSample(
                sample.GetProperty("name").GetString()!,
                sample.GetProperty("labels").EnumerateObject().ToDictionary(label => label.Name, label => label.Value.GetString()!),
                Number(sample.GetProperty("value")))).ToList())).ToList();
    }

    private static double Number(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String => value.GetString() == "+Inf" ? double.PositiveInfinity : double.NegativeInfinity,
        _ => double.NaN,
    };
}
