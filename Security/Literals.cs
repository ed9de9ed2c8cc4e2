using System.Globalization;
using System.Text;

namespace MatlabMcp.Security;

/// <summary>The text a literal or a command word stands for, as the engine would see it.</summary>
internal static class Literals
{
    public static string Value(ReadOnlySpan<char> source, Token token, MatlabDialect dialect)
    {
        var raw = token.Text(source);
        if (token.Kind == TokenKind.CommandArgument)
            return CommandWord(raw, dialect);
        if (raw.IsEmpty)
            return "";
        var text = new StringBuilder(raw.Length);
        Quoted(raw, 0, dialect, text);
        return text.ToString();
    }

    /// <summary>A command word: quotes outside parentheses group and are removed; everything else is kept.</summary>
    private static string CommandWord(ReadOnlySpan<char> raw, MatlabDialect dialect)
    {
        var text = new StringBuilder(raw.Length);
        var parens = 0;
        for (var i = 0; i < raw.Length;)
        {
            var c = raw[i];
            if (c is '\'' or '"' && parens == 0)
            {
                i = Quoted(raw, i, dialect, text);
                continue;
            }
            if (c is '(' or '[' or '{')
                parens++;
            else if (c is ')' or ']' or '}')
                parens--;
            text.Append(c);
            i++;
        }
        return text.ToString();
    }

    /// <summary>Appends the content of the quoted run at <paramref name="start"/>; returns the index after it.</summary>
    private static int Quoted(ReadOnlySpan<char> raw, int start, MatlabDialect dialect, StringBuilder text)
    {
        var quote = raw[start];
        var escapes = quote == '"' && dialect == MatlabDialect.Octave;
        var i = start + 1;
        while (i < raw.Length)
        {
            var c = raw[i];
            if (c == quote)
            {
                if (i + 1 < raw.Length && raw[i + 1] == quote)
                {
                    text.Append(quote);
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            if (escapes && c == '\\' && i + 1 < raw.Length)
            {
                i = Escape(raw, i + 1, text);
                continue;
            }
            if (escapes && c == '.' && raw[i..].StartsWith("...") && ContinuesLine(raw, i + 3, out var next))
            {
                i = next;
                continue;
            }
            text.Append(c);
            i++;
        }
        return i;
    }

    /// <summary>Octave's double-quote escapes (lex.ll DQ_STRING_START); <paramref name="i"/> is after the backslash.</summary>
    private static int Escape(ReadOnlySpan<char> raw, int i, StringBuilder text)
    {
        if (ContinuesLine(raw, i, out var next))
            return next;
        var c = raw[i];
        if (c is >= '0' and <= '7')
        {
            var value = 0;
            var end = i;
            for (; end < raw.Length && end < i + 3 && raw[end] is >= '0' and <= '7'; end++)
                value = value * 8 + (raw[end] - '0');
            text.Append((char)value);
            return end;
        }
        if (c == 'x' && i + 1 < raw.Length && Uri.IsHexDigit(raw[i + 1]))
        {
            var end = i + 1;
            while (end < raw.Length && Uri.IsHexDigit(raw[end]))
                end++;
            text.Append((char)(byte)int.Parse(raw[(i + 1)..Math.Min(end, i + 9)], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            return end;
        }
        text.Append(c switch
        {
            'a' => '\a',
            'b' => '\b',
            'f' => '\f',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'v' => '\v',
            _ => c,
        });
        return i + 1;
    }

    /// <summary>Blanks then a line end: the quoted text continues on the next line.</summary>
    private static bool ContinuesLine(ReadOnlySpan<char> raw, int i, out int next)
    {
        var j = i;
        while (j < raw.Length && Syntax.IsBlank(raw[j]))
            j++;
        next = j;
        if (j >= raw.Length || !Syntax.IsLineEnd(raw[j]))
            return false;
        next = j + (raw[j] == '\r' && j + 1 < raw.Length && raw[j + 1] == '\n' ? 2 : 1);
        return true;
    }
}
