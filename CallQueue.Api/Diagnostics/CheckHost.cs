using CallQueue.Api.Configuration;
using CallQueue.Api.Hosting;

namespace CallQueue.Api.Diagnostics;

/// <summary>
/// Builds the service's own host exactly as Program.cs does — appsettings.json next to the binary, <c>.env</c> in the
/// working directory, the environment, the command line, then <see cref="CallQueueApiExtensions.AddCallQueueApi"/> — so
/// the check sees the configuration the service would see. Overrides (highest priority) are only used
/// for the check's own short-lived server.
/// </summary>
internal static class CheckHost
{
    public static WebApplicationBuilder CreateBuilder(string[] args, IReadOnlyDictionary<string, string?>? overrides)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddDotEnvFile(Directory.GetCurrentDirectory());
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        return builder;
    }

    /// <summary>Registers the service on <paramref name="builder"/>; the report stays readable unless --verbose keeps the service's logs.</summary>
    public static WebApplication Build(WebApplicationBuilder builder, bool verbose)
    {
        builder.AddCallQueueApi();
        if (!verbose)
        {
            builder.Logging.ClearProviders();
        }

        return builder.Build();
    }

    /// <summary>Where the service reads its <c>.env</c>, and whether one is there.</summary>
    public static (string Path, bool Exists) DotEnv()
    {
        var path = Path.Combine(Directory.GetCurrentDirectory(), ".env");
        return (path, File.Exists(path));
    }
}
