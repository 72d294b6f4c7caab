using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;

namespace CallQueue.Api.Configuration;

/// <summary>
/// Reads a <c>.env</c> file (the seed's configuration file) as configuration: <c>KEY=value</c> lines, <c>#</c> comments,
/// optional <c>export</c> prefix and quotes. It sits below real environment variables, which always win.
/// </summary>
public sealed class DotEnvConfigurationSource : FileConfigurationSource
{
    public override IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        EnsureDefaults(builder);
        return new DotEnvConfigurationProvider(this);
    }

    public static DotEnvConfigurationSource ForDirectory(string directory) => new()
    {
        Path = ".env",
        Optional = true,
        ReloadOnChange = false,
        // Dot files are hidden by default; .env is one.
        FileProvider = new PhysicalFileProvider(directory, ExclusionFilters.None),
    };
}
