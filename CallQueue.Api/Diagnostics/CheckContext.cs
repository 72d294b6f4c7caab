using CallQueue.Jobs.Configuration;

namespace CallQueue.Api.Diagnostics;

/// <summary>What the checks learn, in order: the service's configuration (from a built, never started host), then what answered.</summary>
internal sealed class CheckContext(string[] args, TimeSpan roundTripTimeout, bool verbose) : IAsyncDisposable
{
    private readonly List<(Type? OptionsType, string Failure)> _failures = [];

    /// <summary>The command line after the verb, passed to the host like the service's own arguments.</summary>
    public string[] Args { get; } = args;

    public TimeSpan RoundTripTimeout { get; } = roundTripTimeout;

    public bool Verbose { get; } = verbose;

    /// <summary>The merged configuration (appsettings.json, .env, environment, command line); null when it could not be read.</summary>
    public IConfiguration? Configuration { get; set; }

    public IHostEnvironment? Environment { get; set; }

    /// <summary>The service's host, built exactly as Program.cs builds it but never started; null when it could not be built.</summary>
    public WebApplication? App { get; set; }

    public RedisOptions? Redis { get; set; }

    public PlivoOptions? Plivo { get; set; }

    public AgentOptions? Agent { get; set; }

    public QueueOptions? Queue { get; set; }

    public bool RedisReachable { get; set; }

    public bool AgentReachable { get; set; }

    public IReadOnlyList<string> ConfigurationFailures => _failures.Select(failure => failure.Failure).ToList();

    /// <summary>True when the service would start with this configuration (as far as its options validation goes).</summary>
    public bool ConfigurationValid => App is not null && _failures.Count == 0;

    public bool IsDevelopment => Environment?.IsDevelopment() ?? false;

    public void AddFailure(Type? optionsType, string failure) => _failures.Add((optionsType, failure));

    /// <summary>The first validation failure of one options type; null when it is valid.</summary>
    public string? FirstFailureOf<TOptions>() =>
        _failures.Where(failure => failure.OptionsType == typeof(TOptions)).Select(failure => failure.Failure).FirstOrDefault();

    /// <summary>A raw setting as the service reads it ("" and blanks mean not set).</summary>
    public string? Setting(string key) => Configuration?[key] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    public async ValueTask DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
            App = null;
        }
    }
}
