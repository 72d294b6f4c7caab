using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace CallQueue.Bench;

/// <summary>
/// Issue 12, CSV batches: the same N-row batch (bench/bulk-ingest.sh's calls: flow name, answer URL, two variables)
/// posted to POST /api/calls/bulk-queue as JSON and as CSV, alternating which goes first each round, against one service
/// on a fresh redis-server (QUEUE_WORKERS=0). Each post has a batch_id of its own, so every post creates N new calls. The
/// time is the client's, from sending the body to reading the 202 (every call stored). After each post the next waits
/// until the batch's dial jobs are all created (GET /api/batches/{id}), so neither format pays for the other's
/// background work. One warm-up round is not counted.
/// </summary>
internal static class CsvScenario
{
    public static async Task<int> RunAsync(string root, BenchArgs args)
    {
        var rows = args.Int("calls", 10_000);
        var rounds = args.Int("rounds", 5);
        await using var host = await BenchHost.StartAsync(root, new Dictionary<string, string> { ["QUEUE_WORKERS"] = "0" });
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        var numbers = Enumerable.Range(0, rows).Select(_ => CallBodies.NextPhoneNumber()).ToList();
        var csv = Csv(numbers);
        var jsonSize = Encoding.UTF8.GetByteCount(Json("bench-csv-size", numbers));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"csv vs json: {rows:N0} rows per batch, {rounds} rounds (+1 warm-up), alternating; JSON body {jsonSize / 1024.0:F0} KB, CSV body {Encoding.UTF8.GetByteCount(csv) / 1024.0:F0} KB; QUEUE_WORKERS=0; {Environment.ProcessorCount} cores"));

        var times = new Dictionary<string, List<double>> { ["json"] = [], ["csv"] = [] };
        var failures = 0;
        for (var round = 0; round <= rounds; round++)
        {
            foreach (var format in round % 2 == 0 ? new[] { "json", "csv" } : ["csv", "json"])
            {
                var batchId = string.Create(CultureInfo.InvariantCulture, $"bench-{format}-{round}-{Guid.NewGuid():N}")[..40];
                using var content = format == "json"
                    ? new StringContent(Json(batchId, numbers), Encoding.UTF8, "application/json")
                    : new StringContent(csv, Encoding.UTF8, "text/csv");
                var uri = format == "json" ? "api/calls/bulk-queue" : "api/calls/bulk-queue?batch_id=" + batchId;
                await content.LoadIntoBufferAsync(); // the body is built before the clock starts
                var started = Stopwatch.GetTimestamp();
                using var response = await http.PostAsync(new Uri(uri, UriKind.Relative), content);
                var body = await response.Content.ReadAsStringAsync();
                var milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                var queued = response.StatusCode == HttpStatusCode.Accepted ? JsonDocument.Parse(body).RootElement.GetProperty("queued").GetInt32() : 0;
                if (queued != rows)
                {
                    failures++;
                    Console.WriteLine($"round {round} {format}: {(int)response.StatusCode}, {queued} queued: {body[..Math.Min(300, body.Length)]}");
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round} {format,-4} {milliseconds,8:F0} ms{(round == 0 ? " (warm-up)" : string.Empty)}"));
                if (round > 0)
                {
                    times[format].Add(milliseconds);
                }

                if (queued == rows)
                {
                    await WaitForDialJobsAsync(http, batchId, rows);
                }
            }
        }

        var json = Stats.Median(times["json"]);
        var csvMedian = Stats.Median(times["csv"]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"json  p50 {json:F0} ms (min {times["json"].Min():F0}, max {times["json"].Max():F0}); {rows / (json / 1000):N0} calls/s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"csv   p50 {csvMedian:F0} ms (min {times["csv"].Min():F0}, max {times["csv"].Max():F0}); {rows / (csvMedian / 1000):N0} calls/s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio csv / json p50 = {csvMedian / json:F2}"));
        return failures == 0 ? 0 : 1;
    }

    private static async Task WaitForDialJobsAsync(HttpClient http, string batchId, int rows)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(3))
        {
            var batch = await http.GetFromJsonAsync<JsonElement>(new Uri("api/batches/" + batchId, UriKind.Relative));
            if (batch.GetProperty("jobs_created").GetInt32() >= rows)
            {
                return;
            }

            await Task.Delay(200);
        }

        Console.WriteLine($"batch {batchId}: dial jobs not all created after 3 minutes; going on");
    }

    private static string Json(string batchId, List<string> numbers)
    {
        var body = new StringBuilder(numbers.Count * 200);
        body.Append(CultureInfo.InvariantCulture, $$"""{"batch_id":"{{batchId}}","calls":[""");
        for (var i = 0; i < numbers.Count; i++)
        {
            body.Append(i == 0 ? string.Empty : ",");
            body.Append(CultureInfo.InvariantCulture, $$"""{"phone_number":"{{numbers[i]}}","campaign_id":"bench","call_config":{"flow_name":"wishfin-test","answer_url":"https://your-domain.com/outbound-answer","variables":{"name":"John Doe","row":""")
                .Append('"').Append(i).Append("\"}}}");
        }

        return body.Append("]}").ToString();
    }

    private static string Csv(List<string> numbers)
    {
        var body = new StringBuilder(numbers.Count * 100);
        body.Append("phone_number,campaign_id,flow_name,answer_url,name,row\n");
        for (var i = 0; i < numbers.Count; i++)
        {
            body.Append(CultureInfo.InvariantCulture, $"{numbers[i]},bench,wishfin-test,https://your-domain.com/outbound-answer,John Doe,{i}\n");
        }

        return body.ToString();
    }
}
