using CallQueue.Jobs.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CallQueue.Api.Health;

/// <summary>Which Plivo the calls go to: the live account, or the sandbox (announced as a warning). Makes no request.</summary>
internal sealed class PlivoHealthCheck(IOptions<PlivoOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var plivo = options.Value;
        return Task.FromResult(plivo.IsSandbox
            ? HealthResults.Healthy($"sandbox at {plivo.ApiUrl}: nobody is really called", warning:
                "Plivo sandbox: no Plivo credentials are set, calls go to the built-in simulator")
            : HealthResults.Healthy($"live account {plivo.AuthId} via {plivo.ApiUrl ?? PlivoOptions.DefaultApiUrl}"));
    }
}
