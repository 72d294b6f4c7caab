using System.Runtime.CompilerServices;

namespace CallQueue.Jobs.Plivo;

/// <summary>
/// Ids that go into a Plivo URL path (auth id, call_uuid, request_uuid): letters, digits, '-' and '_' only, so an empty
/// or crafted id can never turn DELETE /Call/{uuid}/ into DELETE /Call/, which hangs up every call on the account.
/// </summary>
internal static class PlivoIdentifier
{
    public static string Require(string value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, paramName);
        if (!IsValid(value))
        {
            throw new ArgumentException("Not a Plivo identifier (letters, digits, '-' and '_' only).", paramName);
        }

        return value;
    }

    public static bool IsValid(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
