namespace CallQueue.Jobs.Plivo;

/// <summary>Masks phone numbers for logs and display names: first 3 and last 4 characters kept (<c>+91•••••6789</c>).</summary>
public static class PhoneNumberMask
{
    private const char Bullet = '•';
    private const int Head = 3;
    private const int Tail = 4;

    public static string Mask(string? number)
    {
        if (string.IsNullOrEmpty(number))
        {
            return string.Empty;
        }

        var value = number.Trim();
        if (value.Length <= Head + Tail)
        {
            // Too short to show both ends without revealing most of it.
            return new string(Bullet, value.Length);
        }

        return string.Concat(value.AsSpan(0, Head), new string(Bullet, value.Length - Head - Tail), value.AsSpan(value.Length - Tail));
    }
}
