using System.Globalization;
using Microsoft.Extensions.Options;

namespace CallQueue.Api.Security;

/// <summary>In Production the API never runs open, and its keys are long enough not to be guessed (DESIGN.md §6, §8).</summary>
internal sealed class ApiKeyOptionsValidator(IHostEnvironment environment) : IValidateOptions<ApiKeyOptions>
{
    public const string MissingKeys =
        "API_KEYS not set: set one or more comma-separated keys (clients send one as X-API-Key or Authorization: Bearer)";

    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!environment.IsProduction())
        {
            return ValidateOptionsResult.Success;
        }

        var keys = options.ApiKeys;
        if (keys.Count == 0)
        {
            return ValidateOptionsResult.Fail(MissingKeys);
        }

        // Positions only: a key is a secret and never appears in a message.
        var tooShort = keys.Select((key, index) => (key, index)).Where(k => k.key.Secret.Length < ApiKeyOptions.MinProductionKeyLength).Select(k => k.index + 1).ToList();
        return tooShort.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(string.Create(
                CultureInfo.InvariantCulture,
                $"API_KEYS: key {string.Join(", ", tooShort)} (counting from 1) is shorter than {ApiKeyOptions.MinProductionKeyLength} characters; use long random keys, e.g. openssl rand -hex 32"));
    }
}
