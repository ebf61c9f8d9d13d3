using System.Text;

namespace EvoMerge.Zoo.Data;

/// <summary>
/// Writes JSONL with a fixed, minimal escaping (quote, backslash, control characters; everything
/// else raw UTF-8), so the bytes depend on nothing but the content.
/// </summary>
internal static class JsonLines
{
    /// <summary>One line: an object with the given string fields in order, then <c>\n</c>.</summary>
    public static void AppendObject(StringBuilder sb, params (string Key, string Value)[] fields)
    {
        sb.Append('{');
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
                sb.Append(", ");
            AppendString(sb, fields[i].Key);
            sb.Append(": ");
            AppendString(sb, fields[i].Value);
        }
        sb.Append("}\n");
    }

    /// <summary>A JSON string literal.</summary>
    public static void AppendString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case '\n':
                    sb.Append("\\n");
                    break;
                case '\r':
                    sb.Append("\\r");
                    break;
                case '\t':
                    sb.Append("\\t");
                    break;
                case < ' ':
                    sb.Append("\\u")
                        .Append(
                            ((int)c).ToString(
                                "x4",
                                System.Globalization.CultureInfo.InvariantCulture
                            )
                        );
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}
