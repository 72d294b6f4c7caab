namespace CallQueue.Jobs.Calls;

/// <summary>Phone numbers are personal data: logs and dashboard names show them masked (<c>+91•••••6789</c>).</summary>
public static class PhoneNumberMask
{
    private const int VisiblePrefix = 3;
    private const int VisibleSuffix = 4;

    public static string Mask(string? phoneNumber)
    {
        if (string.IsNullOrEmpty(phoneNumber))
        {
            return string.Empty;
        }

        if (phoneNumber.Length <= VisiblePrefix + VisibleSuffix)
        {
            return new string('•', phoneNumber.Length);
        }

        var hidden = phoneNumber.Length - VisiblePrefix - VisibleSuffix;
        return string.Concat(phoneNumber.AsSpan(0, VisiblePrefix), new string('•', hidden), phoneNumber.AsSpan(phoneNumber.Length - VisibleSuffix));
    }
}
