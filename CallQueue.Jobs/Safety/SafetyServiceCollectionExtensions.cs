using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CallQueue.Jobs.Safety;

public static class SafetyServiceCollectionExtensions
{
    /// <summary>
    /// CALLING_HOURS, CALLING_DAYS, RESTRICTED_DATES and LEGAL_CALLING_HOURS (validated at start) and the calling-hours
    /// engine, and <see cref="CallSafety"/>, which applies it (and deadlines) to calls at queue and dial time.
    /// </summary>
    public static IServiceCollection AddCallingHours(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CallingHoursOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CallingHoursOptions>, CallingHoursOptionsValidator>();
        services.AddSingleton(provider => new CallingHours(
            CallingHoursPolicy.From(provider.GetRequiredService<IOptions<CallingHoursOptions>>().Value),
            provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<CallSafety>();
        return services;
    }

    /// <summary>
    /// ONE_CALL_PER_NUMBER, NUMBER_MIN_GAP_SECONDS and MAX_ATTEMPTS_PER_NUMBER_PER_DAY (validated at start) and
    /// <see cref="NumberLine"/>; the <see cref="INumberGuard"/> is registered with the storage (Redis or memory).
    /// </summary>
    public static IServiceCollection AddNumberRules(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NumberRulesOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<NumberRulesOptions>, NumberRulesOptionsValidator>();
        services.AddTransient<NumberLine>();
        return services;
    }
}
