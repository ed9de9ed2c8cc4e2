using System.Runtime.CompilerServices;

namespace MatlabMcp.Security;

/// <summary>
/// A hand-written lexer for MATLAB/Octave source. It mirrors Octave 7's scanner (libinterp/parse-tree/lex.ll)
/// rule for rule wherever a rule decides what is code and what is text, because the policy built on it is only
/// sound if nothing it reads as a string, comment or command argument is code to the engine. It never throws:
/// anything it cannot classify becomes an <see cref="TokenKind.Invalid"/> token or an Unterminated flag.
/// <code>
/// NL       = \n | \r\n | \r                      (a lone \r ends a line too, as in Octave)
/// S        = space | tab
/// ident    = [A-Za-z_$][A-Za-z0-9_$]*            keyword if the dialect lists it (Syntax), except after '.'
/// number   = decimal [eEdD][+-]digits? [ijIJ]?   decimal = digits[.digits] | .digits ('_' allowed in digits)
///          | 0x hex+ [su](8|16|32|64)? | 0b [01]+ [su](8|16|32|64)?
///            a '.' followed by * / \ ^ ' or .. is left for the operator
/// comment  = CCHAR rest-of-line                  CCHAR = % (Octave also #)
/// block    = ^S* CCHAR '{' S* NL ... ^S* CCHAR '}' S* NL      markers alone on their line; blocks nest
/// cont     = '...' rest-of-line NL               (Octave also '\' S* [comment] NL); the statement goes on
/// quote '  = string when at a statement start, or after ( [ { , ; = an operator or a keyword, or after
///            whitespace inside [ ] or { }; otherwise the transpose of the value before it
///   'text' = '' is a quote; NL before the closing quote = unterminated
///   "text" = always a string; "" is a quote; Octave: \ escapes any character, \ S* NL and ... S* NL continue
/// command  = ident at a statement start, then S, then a word that is not an operator followed by S, '=', '(',
///            '[' or '{' (Octave's looks_like_command_arg). Arguments run to NL, ';', a comment, or ',' outside
///            parentheses; S separates them outside parentheses; quotes group; '...' continues the line.
/// shell    = MATLAB only: '!' at a statement start and the rest of its line
/// statement starts: input start, NL outside brackets, ',' or ';' outside brackets, and after else, try, end, ...
/// </code>
/// </summary>
internal ref partial struct MatlabLexer
{
    private const int TrackedDepth = 64;

    private readonly ReadOnlySpan<char> _text;
    private readonly int _end;
    private readonly MatlabDialect _dialect;
    private readonly bool _commandSyntax;
    private int _pos;
    private int _line;
    private int _lineStart;
    private Nesting _nesting;
    private int _depth;
    private Previous _previous;
    private bool _atStatementStart;
    private bool _spaceBefore;
    private bool _afterDot;
    private bool _inCommand;

    public MatlabLexer(ReadOnlySpan<char> text, LexerOptions options)
        : this(text, options, 0, text.Length, 1, 0)
    {
    }

    /// <summary>Lexes <c>text[start..end]</c>, reporting positions as in the whole text.</summary>
    public MatlabLexer(ReadOnlySpan<char> text, LexerOptions options, int start, int end, int line, int lineStart)
    {
        _text = text;
        _end = Math.Clamp(end, 0, text.Length);
        _pos = Math.Clamp(start, 0, _end);
        _dialect = options.Dialect;
        _commandSyntax = options.CommandSyntax;
        _line = line;
        _lineStart = lineStart;
        _atStatementStart = true;
        _previous = Previous.Start;
    }

    /// <summary>The class of the previous significant token, which decides what a quote means.</summary>
    private enum Previous : byte { Start, Value, OpenParen, OpenMatrix, Operator, Keyword }

    private enum Bracket : byte { Paren, Square, Brace }

    [InlineArray(TrackedDepth)]
    private struct Nesting
    {
        private Bracket _element;
    }

    /// <summary>Whitespace separates elements here, so it decides between string and transpose.</summary>
    private readonly bool InMatrix => _depth is > 0 and <= TrackedDepth && _nesting[_depth - 1] != Bracket.Paren;

    private readonly bool InParens => _depth > TrackedDepth || (_depth > 0 && _nesting[_depth - 1] == Bracket.Paren);

    public bool Next(out Token token)
    {
        if (_inCommand && NextCommandToken(out token))
            return true;
        while (_pos < _end)
        {
            var c = _text[_pos];
            if (Syntax.IsBlank(c))
            {
                _pos++;
                _spaceBefore = true;
                continue;
            }
            var start = _pos;
            if (Syntax.IsLineEnd(c))
            {
                var (line, column) = (_line, start - _lineStart + 1);
                SkipLineEnd();
                if (InParens)
                {
                    _spaceBefore = true; // Octave reads a newline inside ( ) as whitespace
                    continue;
                }
                token = Emit(TokenKind.Newline, start, Previous.Operator, statementStart: _depth == 0, line: line, column: column);
                return true;
            }
            if (Syntax.IsCommentStart(c, _dialect))
            {
                token = OnlyBlanksBefore(start) && IsBlockMarker(start, '{') ? LexBlockComment(start) : LexLineComment(start);
                return true;
            }
            if (c == '.' && At(1) == '.' && At(2) == '.')
            {
                token = LexContinuation(start, 3);
                return true;
            }
            if (c == '\\' && _dialect == MatlabDialect.Octave && IsBackslashContinuation(start))
            {
                token = LexContinuation(start, 1);
                return true;
            }
            token = LexSignificant(c, start);
            return true;
        }
        token = default;
        return false;
    }

    private Token LexSignificant(char c, int start)
    {
        if (Syntax.IdentifierStart.Contains(c))
            return LexWord(start);
        if (Syntax.IsDigit(c) || (c == '.' && Syntax.IsDigit(At(1))))
        {
            ScanNumber();
            return Emit(TokenKind.Number, start, Previous.Value);
        }
        switch (c)
        {
            case '"':
                return LexQuoted(start, TokenKind.StringLiteral);
            case '\'':
                if (QuoteStartsString())
                    return LexQuoted(start, TokenKind.CharLiteral);
                _pos++;
                return Emit(TokenKind.Transpose, start, Previous.Value);
            case '.':
                return LexDot(start);
            case '@':
                _pos++;
                return Emit(TokenKind.At, start, Previous.Operator);
            case '(' or '[' or '{':
                return LexOpen(c, start);
            case ')' or ']' or '}':
                _pos++;
                if (_depth > 0)
                    _depth--;
                return Emit(c == ')' ? TokenKind.CloseParen : c == ']' ? TokenKind.CloseBracket : TokenKind.CloseBrace,
                    start, Previous.Value);
            case ',' or ';':
                _pos++;
                return Emit(c == ',' ? TokenKind.Comma : TokenKind.Semicolon, start, Previous.Operator,
                    statementStart: _depth == 0);
            case '!' when _dialect == MatlabDialect.Matlab && _atStatementStart:
                _pos = RestOfLine(start);
                return Emit(TokenKind.ShellEscape, start, Previous.Operator);
        }
        var length = Syntax.OperatorLength(_text[start.._end]);
        if (length > 0)
        {
            _pos += length;
            return Emit(TokenKind.Operator, start, Previous.Operator);
        }
        _pos++;
        return Emit(TokenKind.Invalid, start, Previous.Operator);
    }

    private Token LexWord(int start)
    {
        var length = _text[start.._end].IndexOfAnyExcept(Syntax.IdentifierPart);
        _pos = length < 0 ? _end : start + length;
        var word = _text[start.._pos];
        if (_afterDot)
            return Emit(TokenKind.Identifier, start, Previous.Value);
        if (Syntax.IsKeyword(word, _dialect))
        {
            // 'end' inside an index is the last index, a value (Octave's make_keyword_token).
            if (_depth > 0 && word is "end")
                return Emit(TokenKind.Identifier, start, Previous.Value);
            return Emit(TokenKind.Keyword, start, Previous.Keyword, statementStart: Syntax.KeywordStartsStatement(word));
        }
        var flags = TokenFlags.None;
        if (_atStatementStart && _commandSyntax && !Syntax.IsNeverCommand(word) && LooksLikeCommand(_pos))
        {
            flags = TokenFlags.CommandSyntax;
            _inCommand = true;
        }
        return Emit(TokenKind.Identifier, start, Previous.Value, extra: flags);
    }

    private Token LexDot(int start)
    {
        if (At(1) == '\'')
        {
            _pos += 2;
            return Emit(TokenKind.Transpose, start, Previous.Value);
        }
        var length = Syntax.OperatorLength(_text[start.._end]);
        if (length > 0)
        {
            _pos += length;
            return Emit(TokenKind.Operator, start, Previous.Operator);
        }
        _pos++;
        var token = Emit(TokenKind.Dot, start, Previous.Value);
        _afterDot = true;
        return token;
    }

    private Token LexOpen(char c, int start)
    {
        _pos++;
        var extra = TokenFlags.None;
        if (_depth < TrackedDepth)
            _nesting[_depth] = c == '(' ? Bracket.Paren : c == '[' ? Bracket.Square : Bracket.Brace;
        else
            extra = TokenFlags.TooDeep; // past this depth whitespace rules are guessed, so the policy refuses
        _depth++;
        return c == '('
            ? Emit(TokenKind.OpenParen, start, Previous.OpenParen, extra: extra)
            : Emit(c == '[' ? TokenKind.OpenBracket : TokenKind.OpenBrace, start, Previous.OpenMatrix, extra: extra);
    }

    /// <summary>Octave's rule for a single quote (lex.ll, "'"): string or transpose.</summary>
    private readonly bool QuoteStartsString()
    {
        if (_atStatementStart)
            return true;
        if (InMatrix)
            return _spaceBefore || _previous is Previous.Start or Previous.OpenMatrix or Previous.Operator or Previous.Keyword;
        return _previous is Previous.Start or Previous.OpenParen or Previous.OpenMatrix or Previous.Operator or Previous.Keyword;
    }

    /// <summary>Builds the token that ends at <see cref="_pos"/> and moves the state past it.</summary>
    private Token Emit(TokenKind kind, int start, Previous previous, bool statementStart = false, TokenFlags extra = TokenFlags.None,
        int line = 0, int column = 0)
    {
        var flags = extra;
        if (_atStatementStart)
            flags |= TokenFlags.StatementStart;
        if (_spaceBefore)
            flags |= TokenFlags.SpaceBefore;
        var token = new Token(kind, flags, start, _pos - start, line > 0 ? line : _line, column > 0 ? column : start - _lineStart + 1);
        _previous = previous;
        _atStatementStart = statementStart;
        _spaceBefore = false;
        _afterDot = false;
        return token;
    }

    /// <summary>Comments and continuations leave the statement state alone: they are not tokens to the parser.</summary>
    private readonly Token Trivia(TokenKind kind, int start, int line, int column) =>
        new(kind, _spaceBefore ? TokenFlags.SpaceBefore : TokenFlags.None, start, _pos - start, line, column);

    private readonly char At(int offset) => _pos + offset < _end ? _text[_pos + offset] : '\0';

    private readonly char CharAt(int index) => index < _end ? _text[index] : '\0';

    /// <summary>Consumes one line end (\n, \r\n or \r) and starts the next line.</summary>
    private void SkipLineEnd()
    {
        if (_pos < _end && _text[_pos] == '\r' && _pos + 1 < _end && _text[_pos + 1] == '\n')
            _pos++;
        _pos++;
        _line++;
        _lineStart = _pos;
    }

    private readonly int RestOfLine(int from)
    {
        var offset = _text[from.._end].IndexOfAny(Syntax.LineEnd);
        return offset < 0 ? _end : from + offset;
    }

    private readonly bool OnlyBlanksBefore(int index) => _text[_lineStart..index].IndexOfAnyExcept(Syntax.Blank) < 0;
}
