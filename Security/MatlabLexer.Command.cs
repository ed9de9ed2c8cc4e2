namespace MatlabMcp.Security;

/// <summary>Command syntax (<c>format long</c>, <c>hold on</c>): when it applies and how its words split.</summary>
internal ref partial struct MatlabLexer
{
    /// <summary>
    /// Octave's looks_like_command_arg for a name at a statement start whose text ends at <paramref name="from"/>:
    /// whitespace, then a word that is not an operator followed by whitespace (<c>a - 1</c>), not '=' and not a
    /// bracket. <c>a -1</c>, <c>a ==1</c> and <c>a +=1</c> are commands; <c>a - 1</c>, <c>a=1</c> and <c>a (1)</c> are not.
    /// </summary>
    private readonly bool LooksLikeCommand(int from)
    {
        var at = from;
        var space = false;
        while (at < _end)
        {
            if (Syntax.IsBlank(_text[at]))
            {
                at++;
                space = true;
            }
            else if (_text[at] == '.' && CharAt(at + 1) == '.' && CharAt(at + 2) == '.')
            {
                at = SkipLine(at); // a continuation counts as whitespace
                space = true;
            }
            else if (_text[at] == '\\' && _dialect == MatlabDialect.Octave && IsBackslashContinuation(at))
            {
                at = SkipLine(at);
                space = true;
            }
            else
            {
                break;
            }
        }
        if (!space || at >= _end)
            return false;
        var c = _text[at];
        if (Syntax.IdentifierPart.Contains(c) || c is '\'' or '"' or '@' or '?')
            return true;
        if (Syntax.IsLineEnd(c) || Syntax.IsCommentStart(c, _dialect) || c is ',' or ';' or '(' or '[' or '{')
            return false;
        if (c == '.')
        {
            var next = CharAt(at + 1);
            if (Syntax.IsDigit(next))
                return true;  // a number
            if (next == '\'')
                return false; // .' is always an operator
            var dotOp = Syntax.OperatorLength(_text[at.._end]);
            if (dotOp == 0)
                return true;  // a lone '.'
            return Syntax.IsComputedAssignment(_text.Slice(at, dotOp)) || !Syntax.IsBlank(CharAt(at + dotOp));
        }
        if (c == '\\')
            return CharAt(at + 1) == '='; // '\' alone is always an operator, '\=' a computed assignment
        if (c == '=' && CharAt(at + 1) != '=')
            return false; // assignment
        var length = Syntax.OperatorLength(_text[at.._end]);
        if (length == 0)
            return false; // not something Octave accepts here; the Invalid token that follows fails the policy
        return Syntax.IsComputedAssignment(_text.Slice(at, length)) || !Syntax.IsBlank(CharAt(at + length));
    }

    private readonly int SkipLine(int from)
    {
        var end = RestOfLine(from);
        if (end < _end && _text[end] == '\r' && end + 1 < _end && _text[end + 1] == '\n')
            end++;
        return Math.Min(end + 1, _end);
    }

    /// <summary>The next argument of a command (Octave's COMMAND_START state); false when the command has ended.</summary>
    private bool NextCommandToken(out Token token)
    {
        while (_pos < _end && Syntax.IsBlank(_text[_pos]))
        {
            _pos++;
            _spaceBefore = true;
        }
        token = default;
        if (_pos >= _end)
        {
            _inCommand = false;
            return false;
        }
        var start = _pos;
        var c = _text[start];
        if (c == '.' && At(1) == '.' && At(2) == '.')
        {
            token = LexContinuation(start, 3);
            return true;
        }
        if (Syntax.IsLineEnd(c) || Syntax.IsCommentStart(c, _dialect) || c is ',' or ';')
        {
            _inCommand = false; // the terminator is lexed as usual and starts the next statement
            return false;
        }
        var (line, column) = (_line, start - _lineStart + 1);
        var closed = ScanCommandWord();
        token = Emit(TokenKind.CommandArgument, start, Previous.Value, extra: closed ? TokenFlags.None : TokenFlags.Unterminated)
            with { Line = line, Column = column };
        return true;
    }

    /// <summary>
    /// One argument: outside parentheses blanks end it and quotes group; inside them (all of ( [ { count, and the
    /// count may go negative) blanks, quotes and ',' are text. ';', a comment character, a line end or '...' end it.
    /// </summary>
    private bool ScanCommandWord()
    {
        var parens = 0;
        while (_pos < _end)
        {
            var c = _text[_pos];
            if ((Syntax.IsBlank(c) || c == ',') && parens == 0)
                return true;
            if (Syntax.IsLineEnd(c) || Syntax.IsCommentStart(c, _dialect) || c == ';')
                return true;
            if (c == '.' && At(1) == '.' && At(2) == '.')
                return true;
            if (c is '(' or '[' or '{')
                parens++;
            else if (c is ')' or ']' or '}')
                parens--;
            else if (c is '\'' or '"' && parens == 0)
            {
                if (!ScanQuoted())
                    return false;
                continue;
            }
            _pos++;
        }
        return true;
    }
}
