using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace CallQueue.Api.Configuration;

public static class ConfigurationExtensions
{
    /// <summary>Adds the working directory's <c>.env</c> just below the environment variables.</summary>
    public static void AddDotEnvFile(this ConfigurationManager configuration, string directory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var sources = configuration.Sources;
        // Below the unprefixed environment variables (the last source of that kind), above appsettings.json.
        var environment = sources.ToList().FindLastIndex(source => source is EnvironmentVariablesConfigurationSource { Prefix: null or "" });
        var dotEnv = DotEnvConfigurationSource.ForDirectory(directory);
        if (environment < 0)
        {
            sources.Add(dotEnv);
        }
        else
        {
            sources.Insert(environment, dotEnv);
        }
    }
}
