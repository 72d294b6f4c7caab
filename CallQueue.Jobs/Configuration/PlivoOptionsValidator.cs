using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CallQueue.Jobs.Configuration;

internal sealed class PlivoOptionsValidator(IHostEnvironment environment) : IValidateOptions<PlivoOptions>
{
    /// <summary>Longest PLIVO_TIMEOUT_SECONDS: 5 s short of Hangfire's shutdown timeout, to record Plivo's answer.</summary>
    public static readonly int MaxTimeoutSeconds = (int)GracefulShutdown.HangfireShutdownTimeout.TotalSeconds - 5;

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

        // A create-call request in flight when the process stops is finished, never abandoned (DESIGN.md §9): it must end,
        // and its answer be recorded, within the time Hangfire gives running jobs at shutdown.
        if (options.TimeoutSeconds < 1 || options.TimeoutSeconds > MaxTimeoutSeconds)
        {
            failures.Add(FormattableString.Invariant(
                $"PLIVO_TIMEOUT_SECONDS must be between 1 and {MaxTimeoutSeconds} (got {options.TimeoutSeconds}): a request in flight at shutdown must end within the {GracefulShutdown.HangfireShutdownTimeout.TotalSeconds:0} s the dial workers get to finish"));
        }


        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
