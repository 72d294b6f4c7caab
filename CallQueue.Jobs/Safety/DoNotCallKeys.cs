namespace CallQueue.Jobs.Safety;

/// <summary>
/// The Redis layout of the do-not-call list, written down once. A number's digits (without the <c>+</c>) split in two:
/// all but the last <see cref="FieldDigits"/> name its bucket, the last ones are its field. Under the hash tag of
/// <c>REDIS_KEY_PREFIX</c>, like every other key (one cluster slot; scripts are given each key in KEYS):
/// <list type="table">
/// <item><term>{p}:dnc:{leading digits}</term><description>hash: field = the last 5 digits, value = the number's entries
/// (<see cref="DoNotCallEncoding"/>). 1,000,000 numbers of one country's mobile range (+91 9…, 12 digits) make ~40,000
/// buckets of ~25 fields, well inside <c>hash-max-listpack-entries</c> (512) and <c>hash-max-listpack-value</c> (64 B),
/// so Redis keeps every bucket in its compact listpack encoding. No TTL.</description></item>
/// <item><term>{p}:dnc-long</term><description>hash: field = all the digits, value = the entries of a number whose
/// encoding is longer than <see cref="DoNotCallEncoding.InlineMaxBytes"/> (long reasons or campaign ids, many scopes);
/// its bucket field then holds only the marker <see cref="DoNotCallEncoding.SideMarker"/>. No TTL.</description></item>
/// </list>
/// The dial gate computes the same three names (bucket, field, digits) with this class and hands them to its script
/// (<see cref="DoNotCallScripts.Check"/>), so the check costs no round trip of its own.
/// </summary>
internal sealed class DoNotCallKeys(string prefix)
{
    /// <summary>Digits of a number that form its field; the rest name its bucket.</summary>
    public const int FieldDigits = 5;

    private readonly string _bucketPrefix = "{" + prefix + "}:dnc:";

    /// <summary>The side hash of long encodings.</summary>
    public string Long { get; } = "{" + prefix + "}:dnc-long";

    /// <summary>The bucket of an E.164 number (<c>+919876543210</c> → <c>{p}:dnc:9198765</c>).</summary>
    public string Bucket(string phoneNumber) => _bucketPrefix + Digits(phoneNumber)[..^FieldDigits];

    /// <summary>The number's field in its bucket (<c>+919876543210</c> → <c>43210</c>).</summary>
    public static string Field(string phoneNumber) => Digits(phoneNumber)[^FieldDigits..];

    /// <summary>The number without its <c>+</c>: its field in <see cref="Long"/>.</summary>
    /// <exception cref="ArgumentException">Not a <c>+</c> and 8 to 15 digits.</exception>
    public static string Digits(string phoneNumber)
    {
        ArgumentNullException.ThrowIfNull(phoneNumber);
        if (phoneNumber.Length is < 9 or > 16 || phoneNumber[0] != '+' || phoneNumber.AsSpan(1).ContainsAnyExceptInRange('0', '9'))
        {
            throw new ArgumentException("An E.164 number (+ and 8 to 15 digits) is required.", nameof(phoneNumber));
        }

        return phoneNumber[1..];
    }
}
