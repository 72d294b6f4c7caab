using CallQueue.Bench;

// CallQueue.Bench <enqueue|idle|scale|ceiling|dnc|hours|webhooks|campaigns|csv> [--name value]… (bench/run-all.sh runs them all; docs/benchmarks.md has the figures).
// Each scenario starts its own redis-server and (but dnc, which measures Redis alone) a Release build of CallQueue.Api on
// free loopback ports.
if (args.Length == 0 || args[0] is not ("enqueue" or "idle" or "scale" or "ceiling" or "dnc" or "hours" or "webhooks" or "campaigns" or "csv"))
{
    Console.Error.WriteLine("usage: CallQueue.Bench <enqueue|idle|scale|ceiling|dnc|hours|webhooks|campaigns|csv> [--calls N] [--rate N] [--idle-seconds S] [--dispatch-seconds S] [--lead-minutes M] [--numbers N] [--reason TEXT] [--campaign ID] [--runs N] [--clients N] [--seconds S] [--samples N] [--batches N] [--batch-size N] [--page-requests N] [--drain N] [--processes N] [--workers N] [--warmup S] [--requests N] [--rounds N] [--redis-config \"--name value\"] [--paused N] [--max-concurrent N] [--root DIR]");
    return 2;
}

var options = new BenchArgs(args.Skip(1));
var root = options.Text("root", FindRepositoryRoot());
return args[0] switch
{
    "enqueue" => await EnqueueScenario.RunAsync(root, options),
    "idle" => await IdleLatencyScenario.RunAsync(root, options),
    "dnc" => await DoNotCallScenario.RunAsync(options),
    "hours" => await HoursScenario.RunAsync(root, options),
    "webhooks" => await WebhooksScenario.RunAsync(root, options),
    "campaigns" => await CampaignsScenario.RunAsync(root, options),
    "ceiling" => await CeilingScenario.RunAsync(root, options),
    "csv" => await CsvScenario.RunAsync(root, options),
    _ => await ScaleScenario.RunAsync(root, options),
};

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "CallQueueSystem.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("CallQueueSystem.sln not found above the benchmark; pass --root.");
}
