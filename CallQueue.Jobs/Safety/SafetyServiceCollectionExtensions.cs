using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CallQueue.Jobs.Safety;

public static class SafetyServiceCollectionExtensions
{
    /// <summary>
    /// CALLING_HOURS, CALLING_DAYS, RESTRICTED_DATES and LEGAL_CALLING_HOURS (validated at start) and the calling-hours
    /// engine. Registered only: nothing dials through it yet (issue 11 wires it into the dial job and the API).
    /// </summary>
    public static IServiceCollection AddCallingHours(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CallingHoursOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CallingHoursOptions>, CallingHoursOptionsValidator>();
        services.AddSingleton(provider => new CallingHours(
            CallingHoursPolicy.From(provider.GetRequiredService<IOptions<CallingHoursOptions>>().Value),
            provider.GetRequiredService<TimeProvider>()));
        return services;
    }
}
