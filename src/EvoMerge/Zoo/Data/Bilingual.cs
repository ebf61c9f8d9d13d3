namespace EvoMerge.Zoo.Data;

/// <summary>One piece of text in both languages (the same meaning).</summary>
internal readonly record struct Bilingual(string En, string Ja);

/// <summary>Small English helpers for the templates.</summary>
internal static class English
{
    /// <summary>"a" or "an" before <paramref name="word"/>, by its first letter.</summary>
    public static string Article(string word) =>
        "aeiou".Contains(word[0]) ? "an " + word : "a " + word;

    /// <summary>The base form of a third-person phrase: "reads a book" → "read a book", "watches" → "watch", "studies" → "study".</summary>
    public static string BaseForm(string phrase)
    {
        var space = phrase.IndexOf(' ');
        var verb = space < 0 ? phrase : phrase[..space];
        var rest = space < 0 ? "" : phrase[space..];
        verb =
            verb.EndsWith("ies", StringComparison.Ordinal) ? verb[..^3] + "y"
            : verb.EndsWith("ches", StringComparison.Ordinal)
            || verb.EndsWith("shes", StringComparison.Ordinal)
            || verb.EndsWith("sses", StringComparison.Ordinal)
                ? verb[..^2]
            : verb.EndsWith('s') ? verb[..^1]
            : verb;
        return verb + rest;
    }

    /// <summary>The third-person singular of a phrase whose verbs all take -s: "get on" → "gets on", "leave" → "leaves".</summary>
    public static string ThirdPerson(string phrase)
    {
        var space = phrase.IndexOf(' ');
        return space < 0 ? phrase + "s" : phrase[..space] + "s" + phrase[space..];
    }

    /// <summary>Upper-cases the first letter.</summary>
    public static string Capitalize(string s) =>
        s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    /// <summary>An integer in invariant digits.</summary>
    public static string N(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
