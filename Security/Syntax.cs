using System.Buffers;
using System.Collections.Frozen;

namespace MatlabMcp.Security;

/// <summary>Character classes and word lists of the MATLAB/Octave lexical grammar.</summary>
internal static class Syntax
{
    // Octave's IDENT is [_$a-zA-Z][_$a-zA-Z0-9]*; MATLAB never accepts '$', so accepting it costs nothing.
    public static readonly SearchValues<char> IdentifierStart =
        SearchValues.Create("_$abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
    public static readonly SearchValues<char> IdentifierPart =
        SearchValues.Create("_$abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
    public static readonly SearchValues<char> DecimalPart = SearchValues.Create("0123456789_");
    public static readonly SearchValues<char> HexPart = SearchValues.Create("0123456789abcdefABCDEF_");
    public static readonly SearchValues<char> BinaryPart = SearchValues.Create("01_");
    public static readonly SearchValues<char> LineEnd = SearchValues.Create("\r\n");
    public static readonly SearchValues<char> Blank = SearchValues.Create(" \t");

    // Runs of characters inside quotes that need no attention, so strings are skipped with a vector search.
    public static readonly SearchValues<char> SingleQuotedStop = SearchValues.Create("'\r\n");
    public static readonly SearchValues<char> OctaveDoubleQuotedStop = SearchValues.Create("\"\\.\r\n");
    public static readonly SearchValues<char> MatlabDoubleQuotedStop = SearchValues.Create("\"\r\n");

    /// <summary>Reserved words of Octave 7 (octave.gperf).</summary>
    /// <remarks>arguments, enumeration, events, methods, properties, get and set are keywords only inside classdef;
    /// elsewhere they are functions, so they are lexed as identifiers.</remarks>
    private static readonly FrozenSet<string> OctaveKeywords = FrozenSet.Create(StringComparer.Ordinal,
        "break", "case", "catch", "classdef", "continue", "do", "else", "elseif", "end", "end_try_catch",
        "end_unwind_protect", "endarguments", "endclassdef", "endenumeration", "endevents", "endfor", "endfunction",
        "endif", "endmethods", "endparfor", "endproperties", "endspmd", "endswitch", "endwhile", "for", "function",
        "global", "if", "otherwise", "parfor", "persistent", "return", "spmd", "switch", "try", "until",
        "unwind_protect", "unwind_protect_cleanup", "while");

    /// <summary>Reserved words of MATLAB (iskeyword). Octave's extra words (do, endif, ...) are names there, and a
    /// quote after a name is a transpose while after a keyword it opens a string: the lists must not be merged.</summary>
    private static readonly FrozenSet<string> MatlabKeywords = FrozenSet.Create(StringComparer.Ordinal,
        "break", "case", "catch", "classdef", "continue", "else", "elseif", "end", "for", "function", "global", "if",
        "otherwise", "parfor", "persistent", "return", "spmd", "switch", "try", "while");

    /// <summary>Keywords after which a new statement may follow on the same line (Octave's make_keyword_token).</summary>
    private static readonly FrozenSet<string> StatementKeywords = FrozenSet.Create(StringComparer.Ordinal,
        "break", "catch", "continue", "else", "otherwise", "return", "unwind_protect_cleanup", "end", "end_try_catch",
        "end_unwind_protect", "endarguments", "endclassdef", "endenumeration", "endevents", "endfor", "endfunction",
        "endif", "endmethods", "endparfor", "endproperties", "endspmd", "endswitch", "endwhile", "do", "try",
        "unwind_protect", "spmd");

    /// <summary>Names Octave never reads as commands, so that <c>pi +1</c> stays arithmetic.</summary>
    private static readonly FrozenSet<string> NeverCommands = FrozenSet.Create(StringComparer.Ordinal,
        "e", "pi", "I", "i", "J", "j", "Inf", "inf", "NaN", "nan");

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> OctaveKeywordLookup =
        OctaveKeywords.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> MatlabKeywordLookup =
        MatlabKeywords.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> StatementKeywordLookup =
        StatementKeywords.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> NeverCommandLookup =
        NeverCommands.GetAlternateLookup<ReadOnlySpan<char>>();

    public static bool IsKeyword(ReadOnlySpan<char> word, MatlabDialect dialect) =>
        dialect == MatlabDialect.Octave ? OctaveKeywordLookup.Contains(word) : MatlabKeywordLookup.Contains(word);

    public static bool KeywordStartsStatement(ReadOnlySpan<char> word) => StatementKeywordLookup.Contains(word);

    public static bool IsNeverCommand(ReadOnlySpan<char> word) => NeverCommandLookup.Contains(word);

    public static bool IsBlank(char c) => c is ' ' or '\t';

    public static bool IsLineEnd(char c) => c is '\n' or '\r';

    public static bool IsDigit(char c) => c is >= '0' and <= '9';

    public static bool IsCommentStart(char c, MatlabDialect dialect) => c == '%' || (c == '#' && dialect == MatlabDialect.Octave);

    /// <summary>Length of the operator at the start of <paramref name="text"/> (longest match), or 0.</summary>
    public static int OperatorLength(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
            return 0;
        char a = text[0], b = text.Length > 1 ? text[1] : '\0', c = text.Length > 2 ? text[2] : '\0';
        switch (a)
        {
            case '.':
                if (b == '*' && c == '*')
                    return text.Length > 3 && text[3] == '=' ? 4 : 3; // .** .**=
                if (b is '*' or '/' or '\\' or '^' or '+' or '-')
                    return c == '=' ? 3 : 2;
                return 0;
            case '*':
                if (b == '*')
                    return c == '=' ? 3 : 2;                    // ** **=
                return b == '=' ? 2 : 1;
            case '+' or '-':
                return b == a || b == '=' ? 2 : 1;              // ++ += -- -=
            case '&' or '|':
                return b == a || b == '=' ? 2 : 1;              // && &= || |=
            case '/' or '\\' or '^' or '<' or '>' or '=' or '~' or '!':
                return b == '=' ? 2 : 1;
            case ':' or '?':
                return 1;
            default:
                return 0;
        }
    }

    /// <summary>x += 1 and friends: after a possible command word they always mean command syntax (Octave).</summary>
    public static bool IsComputedAssignment(ReadOnlySpan<char> op) =>
        op.Length >= 2 && op[^1] == '=' && op is not ("==" or "<=" or ">=" or "~=" or "!=");
}
