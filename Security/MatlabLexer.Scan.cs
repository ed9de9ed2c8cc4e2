namespace MatlabMcp.Security;

/// <summary>Numbers, quotes, comments and continuations.</summary>
internal ref partial struct MatlabLexer
{
    private void ScanNumber()
    {
        if (_text[_pos] == '0' && At(1) is 'x' or 'X' && Syntax.HexPart.Contains(At(2)) && At(2) != '_')
        {
            _pos = SkipAll(_pos + 2, Syntax.HexPart);
            ScanSizeSuffix();
            return;
        }
        if (_text[_pos] == '0' && At(1) is 'b' or 'B' && At(2) is '0' or '1')
        {
            _pos = SkipAll(_pos + 2, Syntax.BinaryPart);
            ScanSizeSuffix();
            return;
        }
        _pos = SkipAll(_pos, Syntax.DecimalPart);
        // "1.*x" is 1 .* x and "1.'" is 1 .' (lex.ll: {D}{D_}*/\.[\*/\\^\']); "1..." leaves the continuation alone.
        if (At(0) == '.' && At(1) is not ('*' or '/' or '\\' or '^' or '\'') && !(At(1) == '.' && At(2) == '.'))
            _pos = SkipAll(_pos + 1, Syntax.DecimalPart);
        if (At(0) is 'e' or 'E' or 'd' or 'D')
        {
            var digit = At(1) is '+' or '-' ? 2 : 1;
            if (Syntax.IsDigit(At(digit)))
                _pos = SkipAll(_pos + digit, Syntax.DecimalPart);
        }
        if (At(0) is 'i' or 'j' or 'I' or 'J')
            _pos++;
    }

    private void ScanSizeSuffix()
    {
        if (At(0) is not ('s' or 'u'))
            return;
        if ((At(1) == '8') && !Syntax.IdentifierPart.Contains(At(2)))
            _pos += 2;
        else if ((At(1), At(2)) is ('1', '6') or ('3', '2') or ('6', '4'))
            _pos += 3;
    }

    private readonly int SkipAll(int from, System.Buffers.SearchValues<char> values)
    {
        var offset = _text[from.._end].IndexOfAnyExcept(values);
        return offset < 0 ? _end : from + offset;
    }

    private Token LexQuoted(int start, TokenKind kind)
    {
        var (line, column) = (_line, start - _lineStart + 1);
        var closed = ScanQuoted();
        var token = Emit(kind, start, Previous.Value, extra: closed ? TokenFlags.None : TokenFlags.Unterminated);
        return token with { Line = line, Column = column };
    }

    /// <summary>Moves past a quoted run starting at the quote under <see cref="_pos"/>; false if the line ends first.</summary>
    private bool ScanQuoted()
    {
        var quote = _text[_pos++];
        var octaveEscapes = quote == '"' && _dialect == MatlabDialect.Octave;
        var stops = quote == '\'' ? Syntax.SingleQuotedStop
            : octaveEscapes ? Syntax.OctaveDoubleQuotedStop : Syntax.MatlabDoubleQuotedStop;
        while (true)
        {
            _pos = IndexOfAnyFrom(_pos, stops);
            if (_pos >= _end)
                return false;
            var c = _text[_pos];
            if (c == quote)
            {
                if (At(1) != quote)
                {
                    _pos++;
                    return true;
                }
                _pos += 2; // '' or "" is the quote character itself
            }
            else if (Syntax.IsLineEnd(c))
            {
                return false; // the line end is left for the caller: the statement ends there
            }
            else if (c == '\\')
            {
                // Octave: "\<S>*<NL>" continues the string on the next line; "\x" is an escaped character.
                var after = SkipAll(_pos + 1, Syntax.Blank);
                if (Syntax.IsLineEnd(CharAt(after)))
                {
                    _pos = after;
                    SkipLineEnd();
                }
                else
                {
                    _pos = Math.Min(_pos + 2, _end);
                }
            }
            else if (c == '.' && At(1) == '.' && At(2) == '.')
            {
                // Octave (deprecated): "...<S>*<NL>" inside double quotes continues the string as well.
                var after = SkipAll(_pos + 3, Syntax.Blank);
                if (Syntax.IsLineEnd(CharAt(after)))
                {
                    _pos = after;
                    SkipLineEnd();
                }
                else
                {
                    _pos += 3;
                }
            }
            else
            {
                _pos++;
            }
        }
    }

    private readonly int IndexOfAnyFrom(int from, System.Buffers.SearchValues<char> values)
    {
        var offset = _text[from.._end].IndexOfAny(values);
        return offset < 0 ? _end : from + offset;
    }

    private Token LexLineComment(int start)
    {
        var column = start - _lineStart + 1;
        _pos = RestOfLine(start);
        return Trivia(TokenKind.Comment, start, _line, column);
    }

    /// <summary>A block comment marker line: only blanks, one comment character, the brace, blanks, and a line end.</summary>
    private readonly bool IsBlockMarker(int markerStart, char brace)
    {
        if (CharAt(markerStart + 1) != brace)
            return false;
        var after = SkipAll(markerStart + 2, Syntax.Blank);
        return after < _end && Syntax.IsLineEnd(_text[after]);
    }

    /// <summary>From an opening marker line to its matching closing line; an unclosed block runs to the end (as in Octave).</summary>
    private Token LexBlockComment(int start)
    {
        var (line, column) = (_line, start - _lineStart + 1);
        var depth = 0;
        while (_pos < _end)
        {
            var lineStart = _pos;
            var marker = SkipAll(lineStart, Syntax.Blank);
            if (marker < _end && Syntax.IsCommentStart(_text[marker], _dialect))
            {
                if (IsBlockMarker(marker, '{'))
                    depth++;
                else if (IsBlockMarker(marker, '}'))
                    depth--;
            }
            _pos = RestOfLine(lineStart);
            if (_pos >= _end)
                break;
            if (depth == 0)
                break; // the closing line's end is left to become the Newline that ends the statement
            SkipLineEnd();
        }
        return Trivia(TokenKind.BlockComment, start, line, column);
    }

    private Token LexContinuation(int start, int markerLength)
    {
        var (line, column) = (_line, start - _lineStart + 1);
        // Octave marks whitespace only when blanks follow the marker; the next line's indentation counts as well.
        if (Syntax.IsBlank(CharAt(start + markerLength)))
            _spaceBefore = true;
        _pos = RestOfLine(start);
        var token = Trivia(TokenKind.Continuation, start, line, column);
        if (_pos < _end)
            SkipLineEnd();
        return token;
    }

    /// <summary>Octave's deprecated "\" continuation: a backslash, blanks, an optional comment, the line end.</summary>
    private readonly bool IsBackslashContinuation(int start)
    {
        var after = SkipAll(start + 1, Syntax.Blank);
        return after < _end && (Syntax.IsLineEnd(_text[after]) || Syntax.IsCommentStart(_text[after], _dialect));
    }
}
