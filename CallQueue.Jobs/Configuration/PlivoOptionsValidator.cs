using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CallQueue.Jobs.Configuration;

internal sealed class PlivoOptionsValidator(IHostEnvironment environment) : IValidateOptions<PlivoOptions>
{
    public ValidateOptionsResult Validate(string? name, PlivoOptions options)
    {
        var failures = new List<string>();
        var explicitSandbox = string.Equals(options.Mode, "sandbox", StringComparison.OrdinalIgnoreCase);
        if (!string.IsNullOrWhiteSpace(options.Mode) && !explicitSandbox && !string.Equals(options.Mode, "live", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"PLIVO_MODE must be 'live' or 'sandbox' (got '{options.Mode}')");
        }

        var live = !options.IsSandbox;
        if ((live || environment.IsProduction()) && !explicitSandbox && !options.HasCredentials)
        {
            failures.Add("Plivo credentials not found: set PLIVO_AUTH_ID and PLIVO_AUTH_TOKEN (or PLIVO_MODE=sandbox for a rehearsal)");
        }

        if (live && string.IsNullOrWhiteSpace(options.Number))
        {
            failures.Add("PLIVO_NUMBER is not set: calls need a caller ID from your Plivo account");
        }

        if (options.ApiUrl is not null && !OptionsErrors.IsHttpUrl(options.ApiUrl))
        {
            failures.Add($"PLIVO_API_URL must be an absolute http(s) URL (got '{options.ApiUrl}')");
        }

        if (options.PublicBaseUrl is not null && !OptionsErrors.IsHttpUrl(options.PublicBaseUrl))
        {
            failures.Add($"PUBLIC_BASE_URL must be an absolute http(s) URL (got '{options.PublicBaseUrl}')");
        }
        else if (live && environment.IsProduction() && string.IsNullOrWhiteSpace(options.PublicBaseUrl))
        {
            failures.Add("PUBLIC_BASE_URL is not set: Plivo needs it to reach /api/plivo/* callbacks (e.g. https://queue.example.com)");
        }

        OptionsErrors.Range(failures, "PLIVO_TIMEOUT_SECONDS", options.TimeoutSeconds, 1, 120);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
