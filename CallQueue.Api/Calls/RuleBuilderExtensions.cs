using FluentValidation;

namespace CallQueue.Api.Calls;

internal static class RuleBuilderExtensions
{
    /// <summary>
    /// Reports the rule under its JSON (snake_case) name, per rule rather than through the global
    /// <c>ValidatorOptions</c> resolvers, which would change every validator in the process. Child validators'
    /// names are prefixed with it (<c>call_config.answer_url</c>); messages use <c>{PropertyPath}</c> for that full path.
    /// </summary>
    public static IRuleBuilderInitial<T, TProperty> WireName<T, TProperty>(this IRuleBuilderInitial<T, TProperty> rule, string wireName) =>
        rule.Configure(r => r.PropertyName = wireName);
}
