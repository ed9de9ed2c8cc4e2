using MatlabMcp.Security;

namespace MatlabMcp.Tests.Security;

/// <summary>The lexer against the cases where Octave's own scanner decides between code and text.</summary>
public sealed class MatlabLexerTests
{
    private static List<Token> Lex(string code, MatlabDialect dialect = MatlabDialect.Octave, bool trivia = false) =>
        MatlabLexer.Tokenize(code, new LexerOptions(dialect)).Where(t => trivia || !t.IsTrivia).ToList();

    private static string Kinds(string code, MatlabDialect dialect = MatlabDialect.Octave) =>
        string.Join(" ", Lex(code, dialect).Select(t => t.Kind switch
        {
            TokenKind.Identifier => "id",
            TokenKind.Keyword => "kw",
            TokenKind.Number => "num",
            TokenKind.CharLiteral => "chr",
            TokenKind.StringLiteral => "str",
            TokenKind.Operator => code.Substring(t.Start, t.Length),
            TokenKind.Transpose => "T",
            TokenKind.Dot => ".",
            TokenKind.At => "@",
            TokenKind.OpenParen => "(",
            TokenKind.CloseParen => ")",
            TokenKind.OpenBracket => "[",
            TokenKind.CloseBracket => "]",
            TokenKind.OpenBrace => "{",
            TokenKind.CloseBrace => "}",
            TokenKind.Comma => ",",
            TokenKind.Semicolon => ";",
            TokenKind.Newline => "NL",
            TokenKind.CommandArgument => "arg",
            TokenKind.ShellEscape => "shell",
            TokenKind.Invalid => "invalid",
            _ => t.Kind.ToString(),
        }));

    [Theory]
    [InlineData("a'", "id T")]
    [InlineData("a.'", "id T")]
    [InlineData("x(1)'", "id ( num ) T")]
    [InlineData("x{1}'", "id { num } T")]
    [InlineData("[1 2]'", "[ num num ] T")]
    [InlineData("a''", "id T T")]
    [InlineData("a'*b'", "id T * id T")]
    [InlineData("y = a ';", "id = id T ;")]                 // outside brackets a space does not start a string
    [InlineData("y = [a 'b']", "id = [ id chr ]")]          // inside brackets it does
    [InlineData("y = [a' 'b']", "id = [ id T chr ]")]
    [InlineData("y = {a 'b'}", "id = { id chr }")]
    [InlineData("y = f(a ')", "id = id ( id T )")]          // parentheses inside brackets: whitespace is not a separator
    [InlineData("disp('it''s')", "id ( chr )")]
    [InlineData("x = 'a' + \"b\"'", "id = chr + str T")]
    [InlineData("if 'a', end", "kw chr , kw")]              // after a keyword a quote starts a string
    [InlineData("x(end)'", "id ( id ) T")]
    [InlineData("s.end'", "id . id T")]                     // a keyword after '.' is a field name
    [InlineData("c = {'a', 'b'}'", "id = { chr , chr } T")]
    public void Quote_StringOrTranspose_FollowsOctave(string code, string expected) =>
        Assert.Equal(expected, Kinds(code));

    [Fact]
    public void DoubleQuoted_OctaveEscapes_KeepTheStringOpen()
    {
        // In Octave \" does not end the string: everything up to the last quote is text.
        Assert.Equal("id = str", Kinds("y = \"a\\\"b; system(1) \\\" c\""));
        // In MATLAB it does, and what follows is code.
        Assert.Equal("id = str id ( num ) str", Kinds("y = \"a\\\" system(1) \"\"\"", MatlabDialect.Matlab));
    }

    [Fact]
    public void DoubleQuoted_BackslashNewline_ContinuesTheStringInOctave()
    {
        var tokens = Lex("y = \"a\\\nsystem(1)\"; z = 1");

        Assert.Equal(TokenKind.StringLiteral, tokens[2].Kind);
        Assert.False(tokens[2].Has(TokenFlags.Unterminated));
        Assert.Equal((2, 13), (tokens[4].Line, tokens[4].Column)); // z after `system(1)"; `
    }

    [Fact]
    public void Comments_PercentAndHash_HideWordsInOctave()
    {
        Assert.Equal("id = num ;", Kinds("x = 1; % system('ls')"));
        Assert.Equal("id = num ;", Kinds("x = 1; # system('ls')"));
        Assert.Equal("id = num ; invalid id ( chr )", Kinds("x = 1; # system('ls')", MatlabDialect.Matlab));
    }

    [Fact]
    public void LoneCarriageReturn_EndsTheComment()
    {
        // Octave treats \r as a line end; a lexer that did not would hide the call in the comment.
        Assert.Equal("NL id ( chr )", Kinds("% note\rsystem('ls')"));
    }

    [Theory]
    [InlineData("%{\nsystem(1)\n%}\ndisp(1)")]
    [InlineData("#{\nsystem(1)\n#}\ndisp(1)")]
    [InlineData("%{\nsystem(1)\n#}\ndisp(1)")]                           // Octave closes with either marker
    [InlineData("  %{  \nsystem(1)\n  %}\t\ndisp(1)")]                  // blanks around the marker are allowed
    [InlineData("%{\n%{\nsystem(1)\n%}\nsystem(2)\n%}\ndisp(1)")]       // nested blocks
    public void BlockComment_MarkerAloneOnItsLine_HidesTheBlock(string code)
    {
        var tokens = Lex(code);

        Assert.DoesNotContain(tokens, t => code.Substring(t.Start, t.Length) == "system");
        Assert.Equal("disp", code.Substring(tokens.First(t => t.Kind == TokenKind.Identifier).Start, 4));
    }

    [Theory]
    [InlineData("%{ not a block\nsystem(1)\n%}")]
    [InlineData("x = 1; %{\nsystem(1)\n%}")]
    [InlineData("%{\nhidden\n%} trailing text does not close\nstill hidden\n%}\nsystem(1)")]
    public void BlockComment_MarkerNotAlone_IsALineComment(string code) =>
        Assert.Contains(Lex(code), t => t.Kind == TokenKind.Identifier && code.Substring(t.Start, t.Length) == "system");

    [Fact]
    public void BlockComment_Unterminated_RunsToTheEnd()
    {
        var tokens = Lex("disp(1)\n%{\nsystem(1)", trivia: true);

        Assert.Equal(TokenKind.BlockComment, tokens[^1].Kind);
        Assert.Equal(2, tokens[^1].Line);
    }

    [Fact]
    public void Continuation_RestOfLineIsComment_AndTheStatementGoesOn()
    {
        var tokens = Lex("x = 1 + ... system('ls')\n  2;\n!ls");

        Assert.Equal("id = num + num ; NL Operator id", Kinds("x = 1 + ... system('ls')\n  2;\n!ls").Replace("!", "Operator"));
        Assert.DoesNotContain(tokens, t => t.Kind == TokenKind.Newline && t.Line == 1);
        Assert.True(tokens[^2].Has(TokenFlags.StatementStart)); // the '!' on line 3
    }

    [Theory]
    [InlineData("system ls", "id arg")]
    [InlineData("format long", "id arg")]
    [InlineData("hold on, system ls", "id arg , id arg")]
    [InlineData("x = 1; system ls -la", "id = num ; id arg arg")]
    [InlineData("a -1", "id arg")]
    [InlineData("a - 1", "id - num")]
    [InlineData("a=1", "id = num")]
    [InlineData("a = 1", "id = num")]
    [InlineData("a (1)", "id ( num )")]
    [InlineData("a ==1", "id arg")]
    [InlineData("a == 1", "id == num")]
    [InlineData("a +=1", "id arg")]
    [InlineData("a 'x y' z", "id arg arg")]
    [InlineData("a x'y z' w", "id arg arg")]                  // quotes group inside a word
    [InlineData("a b(1, 2) c", "id arg arg")]                 // parentheses keep blanks and ',' inside the word
    [InlineData("pi +1", "id + num")]                         // pi, e, i, Inf, NaN are never commands
    [InlineData("if x disp y", "kw id id id")]               // only at a statement start
    [InlineData("if x, disp y, end", "kw id , id arg , kw")]
    [InlineData("try disp y, end", "kw id arg , kw")]
    [InlineData("disp a % comment", "id arg")]
    [InlineData("disp a%b, system ls", "id arg")]              // the comment starts mid-word
    public void CommandSyntax_FollowsOctavesRule(string code, string expected) =>
        Assert.Equal(expected, Kinds(code));

    [Fact]
    public void CommandSyntax_ContinuationJoinsArguments()
    {
        var tokens = Lex("hit a ... comment\n b");

        Assert.Equal([TokenKind.Identifier, TokenKind.CommandArgument, TokenKind.CommandArgument], tokens.Select(t => t.Kind));
        Assert.True(tokens[0].Has(TokenFlags.CommandSyntax));
        Assert.Equal((2, 2), (tokens[2].Line, tokens[2].Column));
    }

    [Theory]
    [InlineData("!ls", true)]
    [InlineData("x = 1, !ls", true)]
    [InlineData("x = 1; !ls", true)]
    [InlineData("if x, else !ls, end", true)]
    [InlineData("y = !x", false)]
    [InlineData("y = a != b", false)]
    public void Bang_AtStatementStart_IsMarked(string code, bool atStart)
    {
        var bang = Lex(code).First(t => code[t.Start] == '!');

        Assert.Equal(atStart, bang.Has(TokenFlags.StatementStart) && bang.Length == 1);
    }

    [Fact]
    public void Bang_InMatlab_IsAShellEscapeToTheEndOfTheLine() =>
        Assert.Equal("id = num , shell NL id", Kinds("x = 1, !ls -la; rm -rf x\ny", MatlabDialect.Matlab));

    [Theory]
    [InlineData("1e-3", 1)]
    [InlineData("0x1F", 1)]
    [InlineData("0b101", 1)]
    [InlineData("1i", 1)]
    [InlineData("2.5e+10j", 1)]
    [InlineData(".5", 1)]
    [InlineData("1_000", 1)]
    [InlineData("0x1Fu8", 1)]
    public void Number_SingleToken(string code, int count)
    {
        var tokens = Lex(code);

        Assert.Equal(count, tokens.Count);
        Assert.Equal(TokenKind.Number, tokens[0].Kind);
        Assert.Equal(code.Length, tokens[0].Length);
    }

    [Fact]
    public void Number_DotOperatorsStaySeparate() => Assert.Equal("num .* id num T", Kinds("1.*x 1.'"));

    [Fact]
    public void HandlesAndFields_AreSeparateTokens()
    {
        Assert.Equal("id = @ id ; id ( chr )", Kinds("f = @system; f('ls')"));
        Assert.Equal("@ id . id . id", Kinds("@py.os.system"));
        Assert.Equal("id . id ( num )", Kinds("obj.system(1)"));
    }

    [Fact]
    public void Positions_AreOneBasedLinesAndColumns()
    {
        var tokens = Lex("x = 1;\r\n  y = 'ab';\n\tz");

        Assert.Equal((1, 1), (tokens[0].Line, tokens[0].Column));
        var y = tokens.First(t => t.Start == 10);
        Assert.Equal((2, 3), (y.Line, y.Column));
        Assert.Equal((2, 7), (tokens.First(t => t.Kind == TokenKind.CharLiteral).Line, tokens.First(t => t.Kind == TokenKind.CharLiteral).Column));
        Assert.Equal((3, 2), (tokens[^1].Line, tokens[^1].Column));
    }

    [Theory]
    [InlineData("x = 'abc")]
    [InlineData("x = \"abc")]
    [InlineData("disp 'abc")]
    public void UnclosedQuote_IsFlagged(string code) =>
        Assert.Contains(Lex(code), t => t.Has(TokenFlags.Unterminated));

    [Fact]
    public void DeepNesting_IsFlaggedNotThrown()
    {
        var code = new string('(', 200) + "1" + new string(')', 200);

        Assert.Contains(Lex(code), t => t.Has(TokenFlags.TooDeep));
    }

    [Fact]
    public void RandomInput_NeverThrows_AndCoversTheText()
    {
        var random = new Random(20240601);
        const string alphabet = "abs y 0123456789 ' \" % # { } ( ) [ ] . , ; ! ~ = + - * / \\ @ \r \n \t ... %{ %} #{ \u00e9 \0";
        for (var run = 0; run < 2000; run++)
        {
            var chars = new char[random.Next(0, 200)];
            for (var k = 0; k < chars.Length; k++)
                chars[k] = run % 2 == 0 ? alphabet[random.Next(alphabet.Length)] : (char)random.Next(0, 0x3000);
            var code = new string(chars);
            foreach (var dialect in new[] { MatlabDialect.Octave, MatlabDialect.Matlab })
            {
                var tokens = MatlabLexer.Tokenize(code, new LexerOptions(dialect));
                var end = 0;
                foreach (var t in tokens)
                {
                    Assert.True(t.Start >= end && t.End <= code.Length, $"token out of order in run {run}");
                    Assert.True(t.Line >= 1 && t.Column >= 1);
                    end = t.End;
                }
            }
        }
    }
}
