using CallQueue.Jobs.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CallQueue.Jobs.Webhooks;

/// <summary>BACKEND_URL, BACKEND_API_KEY, WEBHOOK_SECRET, WEBHOOK_ALLOWED_HOSTS, WEBHOOK_RETRY_DELAYS: one line per problem, secrets never quoted.</summary>
internal sealed class WebhookOptionsValidator(IHostEnvironment environment) : IValidateOptions<WebhookOptions>
{
    public const string MissingSecret =
        "WEBHOOK_SECRET is not set: Production signs every event sent to BACKEND_URL (generate one: echo \"whsec_$(openssl rand -base64 32)\")";

    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var failures = new List<string>();
        if (options.BackendUrlSetting is not null && !OptionsErrors.IsHttpUrl(options.BackendUrlSetting))
        {
            failures.Add($"BACKEND_URL must be an absolute http(s) URL (got '{options.BackendUrlSetting}')");
        }

        // The key goes into an HTTP header: a space or line break would break it (or smuggle another header).
        if (options.ApiKey is { } apiKey && apiKey.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            failures.Add("BACKEND_API_KEY must not contain spaces or control characters (its value is not shown)");
        }

        var secrets = WebhookOptions.SecretEntries(options.Secret);
        for (var i = 0; i < secrets.Length; i++)
        {
            if (!WebhookSecret.TryParse(secrets[i], out _, out var error))
            {
                failures.Add(FormattableString.Invariant(
                    $"WEBHOOK_SECRET secret {i + 1} of {secrets.Length} {error}, e.g. whsec_ + 32 random bytes in base64 (its value is not shown)"));
            }
        }

        if (secrets.Length == 0 && options.BackendUrlSetting is not null && environment.IsProduction())
        {
            failures.Add(MissingSecret);
        }

        if (options.AllowedHostsSetting is { } hosts)
        {
            foreach (var host in WebhookOptions.HostEntries(hosts).Where(host => !WebhookOptions.IsHostName(WebhookOptions.NormalizeHost(host))))
            {
                failures.Add($"WEBHOOK_ALLOWED_HOSTS must list host names only, comma-separated, e.g. backend.example.com,hooks.example.com ('{host}' is not one: no scheme, port, path or wildcard)");
            }
        }

        if (options.RetryDelaysSetting is { } delays)
        {
            foreach (var delay in WebhookOptions.DelayEntries(delays).Where(delay => !WebhookOptions.TryParseDelay(delay, out _)))
            {
                failures.Add(FormattableString.Invariant(
                    $"WEBHOOK_RETRY_DELAYS must be comma-separated waits like {WebhookOptions.DefaultRetryDelays}, each a whole number with s, m or h, from 1s to {WebhookOptions.MaxRetryDelay.TotalHours:0}h ('{delay}' is not one)"));
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
