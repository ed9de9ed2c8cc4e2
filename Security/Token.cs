namespace MatlabMcp.Security;

/// <summary>The language variant whose lexical rules apply; follows <c>engine.kind</c>.</summary>
internal enum MatlabDialect
{
    /// <summary>GNU Octave: <c>#</c> comments, backslash escapes in "strings", <c>!</c> is logical not.</summary>
    Octave,

    /// <summary>MATLAB: <c>%</c> comments only, "strings" without escapes, <c>!</c> at a statement start runs a shell.</summary>
    Matlab,
}

/// <summary>How a lexer run behaves; the policy switches command syntax off to re-read a command as an expression.</summary>
internal readonly record struct LexerOptions(MatlabDialect Dialect, bool CommandSyntax = true);

internal enum TokenKind : byte
{
    Identifier,      // a name; also a field name after '.', and 'end' inside an index
    Keyword,         // if, for, end, function, ...
    Number,
    CharLiteral,     // 'text' (char array)
    StringLiteral,   // "text" (string; in Octave a char array with escapes)
    Operator,        // + - * .* == ~= ! = ...
    Transpose,       // ' or .' after a value
    Dot,             // field or method access
    At,              // @ of a function handle or anonymous function
    OpenParen,
    CloseParen,
    OpenBracket,
    CloseBracket,
    OpenBrace,
    CloseBrace,
    Comma,
    Semicolon,
    Newline,         // ends a statement at the top level, a row inside [ ] or { }
    CommandArgument, // one word of command syntax (format long): text, never code
    ShellEscape,     // MATLAB's '!' and the rest of its line
    Comment,
    BlockComment,    // %{ ... %} including nested blocks
    Continuation,    // ... (or Octave's \) and the rest of its line
    Invalid,         // a character neither engine accepts here
}

[Flags]
internal enum TokenFlags : byte
{
    None = 0,
    StatementStart = 1, // the first token of a statement
    SpaceBefore = 2,    // whitespace or a continuation separates it from the previous token
    CommandSyntax = 4,  // an identifier whose statement is command syntax: its arguments follow as CommandArgument
    Unterminated = 8,   // a quote that is not closed on its line
    TooDeep = 16,       // a bracket beyond the nesting the lexer tracks
}

/// <summary>One token: where it is (offset, 1-based line and column) and what it is. Text stays in the source.</summary>
internal readonly record struct Token(TokenKind Kind, TokenFlags Flags, int Start, int Length, int Line, int Column)
{
    public int End => Start + Length;

    public bool Has(TokenFlags flag) => (Flags & flag) != 0;

    /// <summary>Comments and continuations: present for tools that show code, skipped by the policy.</summary>
    public bool IsTrivia => Kind is TokenKind.Comment or TokenKind.BlockComment or TokenKind.Continuation;

    public bool IsLiteral => Kind is TokenKind.CharLiteral or TokenKind.StringLiteral;

    public ReadOnlySpan<char> Text(ReadOnlySpan<char> source) => source.Slice(Start, Length);
}
