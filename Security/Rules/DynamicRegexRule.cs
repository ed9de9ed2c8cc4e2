namespace MatlabMcp.Security.Rules;

/// <summary>
/// MATLAB runs code inside regular expressions: (?@code) and (??@code) in a pattern, ${code} in a regexprep
/// replacement. That code, when literal, is checked like any other code. (Octave treats these as plain text.)
/// </summary>
internal sealed class DynamicRegexRule : IPolicyRule
{
    public void Check(PolicyContext context)
    {
        for (var i = 0; i < context.Count; i++)
        {
            if (!context.IsFreeName(i))
                continue;
            var name = context.Text(context[i]);
            var replaces = name is "regexprep";
            if (!replaces && name is not ("regexp" or "regexpi"))
                continue;
            var arguments = Arguments.Of(context, i);
            if (arguments is null)
                continue;
            if (arguments.Count > 1 && Arguments.TryGetLiteral(context, arguments[1], out var pattern, out var patternText))
                InspectEmbedded(context, pattern, patternText, "(?", ')', "a dynamic expression in the pattern");
            if (replaces && arguments.Count > 2 && Arguments.TryGetLiteral(context, arguments[2], out var replacement, out var replacementText))
                InspectEmbedded(context, replacement, replacementText, "${", '}', "a dynamic expression in the replacement");
        }
    }

    /// <summary>Finds each opener (for "(?" only when followed by @ or ?@) and checks the text up to its balanced closer.</summary>
    private static void InspectEmbedded(PolicyContext context, Token literal, string text, string opener, char closer, string where)
    {
        var open = opener[^1] == '{' ? '{' : '(';
        for (var at = text.IndexOf(opener, StringComparison.Ordinal); at >= 0; at = text.IndexOf(opener, at + 1, StringComparison.Ordinal))
        {
            var body = at + opener.Length;
            if (closer == ')')
            {
                if (body < text.Length && text[body] == '?')
                    body++;
                if (body >= text.Length || text[body] != '@')
                    continue;
                body++;
            }
            var depth = 1;
            var end = body;
            for (; end < text.Length && depth > 0; end++)
            {
                if (text[end] == open)
                    depth++;
                else if (text[end] == closer)
                    depth--;
            }
            context.InspectString(text[body..(depth == 0 ? end - 1 : end)], literal, where);
        }
    }
}
