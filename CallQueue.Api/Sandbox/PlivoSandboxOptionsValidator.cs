using Microsoft.Extensions.Options;

namespace CallQueue.Api.Sandbox;

/// <summary>Source-generated DataAnnotations validation of <see cref="PlivoSandboxOptions"/> (STYLE.md habit 5).</summary>
[OptionsValidator]
internal sealed partial class PlivoSandboxOptionsValidator : IValidateOptions<PlivoSandboxOptions>
{
}
