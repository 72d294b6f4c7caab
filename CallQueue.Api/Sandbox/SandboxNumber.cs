namespace CallQueue.Api.Sandbox;

/// <summary>Compares numbers the way people write them: <c>+1 415-555-0100</c> equals <c>14155550100</c>.</summary>
internal static class SandboxNumber
{
    public static string Normalize(string number) =>
        string.Concat(number.Where(c => c is not ('+' or ' ' or '-' or '(' or ')' or '.')));
}
