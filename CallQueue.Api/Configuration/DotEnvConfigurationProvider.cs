namespace CallQueue.Api.Configuration;

public sealed class DotEnvConfigurationProvider(DotEnvConfigurationSource source) : FileConfigurationProvider(source)
{
    public override void Load(Stream stream)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            var text = line.Trim();
            if (text.Length == 0 || text[0] == '#')
            {
                continue;
            }

            if (text.StartsWith("export ", StringComparison.Ordinal))
            {
                text = text["export ".Length..].TrimStart();
            }

            var equals = text.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            data[text[..equals].Trim()] = Unquote(text[(equals + 1)..].Trim());
        }

        Data = data;
    }

    private static string Unquote(string value)
    {
        // A quoted value ends at its closing quote (anything after it, like a comment, is ignored).
        if (value.Length >= 2 && (value[0] == '"' || value[0] == '\''))
        {
            var closing = value.IndexOf(value[0], 1);
            if (closing > 0)
            {
                return value[1..closing];
            }
        }

        // An unquoted value ends at an inline comment (" # …").
        var comment = value.IndexOf(" #", StringComparison.Ordinal);
        return comment >= 0 ? value[..comment].TrimEnd() : value;
    }
}
