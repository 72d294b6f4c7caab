using CallQueue.Api.Configuration;
using CallQueue.Api.Hosting;

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.Configuration.AddDotEnvFile(Directory.GetCurrentDirectory());
    builder.AddCallQueueApi();

    var app = builder.Build();
    app.UseCallQueueApi();
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (StartupErrors.Describe(ex) is { } problems)
{
    // One clear line per configuration problem, instead of a stack trace (DESIGN.md §6).
    foreach (var problem in problems)
    {
        await Console.Error.WriteLineAsync($"CallQueue cannot start: {problem}");
    }

    return 1;
}
