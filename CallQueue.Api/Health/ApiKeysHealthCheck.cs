using CallQueue.Api.Security;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CallQueue.Api.Health;

/// <summary>How many API keys guard /api; an open API (development only) is announced as a warning. Never shows a key.</summary>
internal sealed class ApiKeysHealthCheck(IOptions<ApiKeyOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var count = options.Value.KeyList.Count;
        return Task.FromResult(count > 0
            ? HealthResults.Healthy(FormattableString.Invariant($"required on /api ({count} key{(count == 1 ? string.Empty : "s")} configured)"))
            : HealthResults.Healthy("not set: the API is open (development only)", warning: "API_KEYS is not set: the API is open to anyone who can reach it"));
    }
}
