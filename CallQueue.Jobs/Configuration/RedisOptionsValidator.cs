using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CallQueue.Jobs.Configuration;

internal sealed class RedisOptionsValidator(IHostEnvironment environment) : IValidateOptions<RedisOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisOptions options)
    {
        var failures = new List<string>();
        if (!options.IsConfigured)
        {
            if (environment.IsProduction())
            {
                failures.Add("Redis connection failed: REDIS_URL is not set, and Production keeps calls in Redis (e.g. REDIS_URL=redis://localhost:6379)");
            }
        }
        else
        {
            try
            {
                RedisUrl.Parse(options.Url!);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or UriFormatException)
            {
                failures.Add($"REDIS_URL is not a valid Redis URL ({ex.Message}); expected redis://[:password@]host:port[/db]");
            }
        }

        if (string.IsNullOrWhiteSpace(options.KeyPrefix) || options.KeyPrefix.IndexOfAny(['{', '}', ' ']) >= 0)
        {
            failures.Add("REDIS_KEY_PREFIX must be non-empty without braces or spaces");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
