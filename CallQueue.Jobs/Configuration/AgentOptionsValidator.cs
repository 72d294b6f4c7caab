using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CallQueue.Jobs.Configuration;

internal sealed class AgentOptionsValidator(IHostEnvironment environment) : IValidateOptions<AgentOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        if (!options.IsConfigured)
        {
            return environment.IsProduction()
                ? ValidateOptionsResult.Fail("AGENT_SERVER_URL is not set: Production hands every answered call to the agent server (e.g. AGENT_SERVER_URL=http://localhost:8765)")
                : ValidateOptionsResult.Success;
        }

        return OptionsErrors.IsHttpUrl(options.ServerUrl)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"AGENT_SERVER_URL must be an absolute http(s) URL (got '{options.ServerUrl}')");
    }
}
