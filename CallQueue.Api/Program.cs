using CallQueue.Api.Configuration;
using CallQueue.Api.Diagnostics;
using CallQueue.Api.Hosting;

if (CheckCommand.IsInvoked(args))
{
    return await CheckCommand.RunAsync(args);
}

try
{
    // Content root = the build output, where the root appsettings.json is copied (it is linked, not in the project folder).
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
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
