using PhoneNumbers;

namespace CallQueue.Jobs.Safety;

/// <summary>
/// libphonenumber's reading of a number: parsed (or the reason it cannot be) and whether it is valid for its country. A
/// queued call's number is read several times while its request is answered (the validator's phone rule, its time-zone rule,
/// then the calling hours), and each reading is a parse and a validation against the country's patterns, the costliest
/// step of the request's own work (issue 15's profile). The last reading is kept per thread and given again for the same
/// text: a pure function of the text, so the kept one is always the answer; no lock, and nothing grows.
/// </summary>
public sealed class PhoneNumberReading
{
    private static readonly PhoneNumberUtil PhoneUtil = PhoneNumberUtil.GetInstance();

    [ThreadStatic]
    private static PhoneNumberReading? t_last;

    private PhoneNumberReading(string text, PhoneNumber? number, bool isValid, ErrorType? error)
    {
        Text = text;
        Number = number;
        IsValid = isValid;
        Error = error;
    }

    /// <summary>The text read.</summary>
    public string Text { get; }

    /// <summary>The number parsed, or null when it cannot be (<see cref="Error"/>).</summary>
    public PhoneNumber? Number { get; }

    /// <summary>Parsed and valid for its country (libphonenumber's <c>IsValidNumber</c>).</summary>
    public bool IsValid { get; }

    /// <summary>Why it could not be parsed, or null.</summary>
    public ErrorType? Error { get; }

    /// <summary>The reading of <paramref name="text"/> (parsed without a default region: an E.164 number).</summary>
    public static PhoneNumberReading Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (t_last is { } last && string.Equals(last.Text, text, StringComparison.Ordinal))
        {
            return last;
        }

        PhoneNumberReading reading;
        try
        {
            var number = PhoneUtil.Parse(text, null);
            reading = new PhoneNumberReading(text, number, PhoneUtil.IsValidNumber(number), null);
        }
        catch (NumberParseException e)
        {
            reading = new PhoneNumberReading(text, null, isValid: false, e.ErrorType);
        }

        t_last = reading;
        return reading;
    }
}
