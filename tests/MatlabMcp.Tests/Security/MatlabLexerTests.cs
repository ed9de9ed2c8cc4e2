using MatlabMcp.Security;

namespace MatlabMcp.Tests.Security;

/// <summary>The lexer against the cases where Octave's own scanner decides between code and text.</summary>
public sealed class MatlabLexerTests
{
    private static List<Token> Lex(string code, MatlabDialect dialect = MatlabDialect.Octave, bool trivia = false) =>
        Tokenize(code, new LexerOptions(dialect)).Where(t => trivia || !t.IsTrivia).ToList();

    /// <summary>Every token, trivia included, as the policy's own loop reads them (<see cref="MatlabLexer.Next"/>).</summary>
    private static List<Token> Tokenize(string code, LexerOptions options)
    {
        var tokens = new List<Token>();
        var lexer = new MatlabLexer(code, options);
        while (lexer.Next(out var token))
            tokens.Add(token);
        return tokens;
    }

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

    [Test]
    [Arguments("a'", "id T")]
    [Arguments("a.'", "id T")]
    [Arguments("x(1)'", "id ( num ) T")]
    [Arguments("x{1}'", "id { num } T")]
    [Arguments("[1 2]'", "[ num num ] T")]
    [Arguments("a''", "id T T")]
    [Arguments("a'*b'", "id T * id T")]
    [Arguments("y = a ';", "id = id T ;")]                 // outside brackets a space does not start a string
    [Arguments("y = [a 'b']", "id = [ id chr ]")]          // inside brackets it does
    [Arguments("y = [a' 'b']", "id = [ id T chr ]")]
    [Arguments("y = {a 'b'}", "id = { id chr }")]
    [Arguments("y = f(a ')", "id = id ( id T )")]          // parentheses inside brackets: whitespace is not a separator
    [Arguments("disp('it''s')", "id ( chr )")]
    [Arguments("x = 'a' + \"b\"'", "id = chr + str T")]
    [Arguments("if 'a', end", "kw chr , kw")]              // after a keyword a quote starts a string
    [Arguments("x(end)'", "id ( id ) T")]
    [Arguments("s.end'", "id . id T")]                     // a keyword after '.' is a field name
    [Arguments("c = {'a', 'b'}'", "id = { chr , chr } T")]
    public async Task Quote_StringOrTranspose_FollowsOctave(string code, string expected) =>
        await Assert.That(Kinds(code)).IsEqualTo(expected);

    [Test]
    public async Task DoubleQuoted_OctaveEscapes_KeepTheStringOpen()
    {
        // In Octave \" does not end the string: everything up to the last quote is text.
        await Assert.That(Kinds("y = \"a\\\"b; system(1) \\\" c\"")).IsEqualTo("id = str");
        // In MATLAB it does, and what follows is code.
        await Assert.That(Kinds("y = \"a\\\" system(1) \"\"\"", MatlabDialect.Matlab)).IsEqualTo("id = str id ( num ) str");
    }

    [Test]
    public async Task DoubleQuoted_BackslashNewline_ContinuesTheStringInOctave()
    {
        var tokens = Lex("y = \"a\\\nsystem(1)\"; z = 1");

        await Assert.That(tokens[2].Kind).IsEqualTo(TokenKind.StringLiteral);
        await Assert.That(tokens[2].Has(TokenFlags.Unterminated)).IsFalse();
        await Assert.That((tokens[4].Line, tokens[4].Column)).IsEqualTo((2, 13)); // z after `system(1)"; `
    }

    [Test]
    public async Task Comments_PercentAndHash_HideWordsInOctave()
    {
        await Assert.That(Kinds("x = 1; % system('ls')")).IsEqualTo("id = num ;");
        await Assert.That(Kinds("x = 1; # system('ls')")).IsEqualTo("id = num ;");
        await Assert.That(Kinds("x = 1; # system('ls')", MatlabDialect.Matlab)).IsEqualTo("id = num ; invalid id ( chr )");
    }

    [Test]
    public async Task LoneCarriageReturn_EndsTheComment()
    {
        // Octave treats \r as a line end; a lexer that did not would hide the call in the comment.
        await Assert.That(Kinds("% note\rsystem('ls')")).IsEqualTo("NL id ( chr )");
    }

    [Test]
    [Arguments("%{\nsystem(1)\n%}\ndisp(1)")]
    [Arguments("#{\nsystem(1)\n#}\ndisp(1)")]
    [Arguments("%{\nsystem(1)\n#}\ndisp(1)")]                           // Octave closes with either marker
    [Arguments("  %{  \nsystem(1)\n  %}\t\ndisp(1)")]                  // blanks around the marker are allowed
    [Arguments("%{\n%{\nsystem(1)\n%}\nsystem(2)\n%}\ndisp(1)")]       // nested blocks
    public async Task BlockComment_MarkerAloneOnItsLine_HidesTheBlock(string code)
    {
        var tokens = Lex(code);

        await Assert.That(tokens).DoesNotContain(t => code.Substring(t.Start, t.Length) == "system");
        await Assert.That(code.Substring(tokens.First(t => t.Kind == TokenKind.Identifier).Start, 4)).IsEqualTo("disp");
    }

    [Test]
    [Arguments("%{ not a block\nsystem(1)\n%}")]
    [Arguments("x = 1; %{\nsystem(1)\n%}")]
    [Arguments("%{\nhidden\n%} trailing text does not close\nstill hidden\n%}\nsystem(1)")]
    public async Task BlockComment_MarkerNotAlone_IsALineComment(string code) =>
        await Assert.That(Lex(code)).Contains(t => t.Kind == TokenKind.Identifier && code.Substring(t.Start, t.Length) == "system");

    [Test]
    public async Task BlockComment_Unterminated_RunsToTheEnd()
    {
        var tokens = Lex("disp(1)\n%{\nsystem(1)", trivia: true);

        await Assert.That(tokens[^1].Kind).IsEqualTo(TokenKind.BlockComment);
        await Assert.That(tokens[^1].Line).IsEqualTo(2);
    }

    [Test]
    public async Task Continuation_RestOfLineIsComment_AndTheStatementGoesOn()
    {
        var tokens = Lex("x = 1 + ... system('ls')\n  2;\n!ls");

        await Assert.That(Kinds("x = 1 + ... system('ls')\n  2;\n!ls").Replace("!", "Operator")).IsEqualTo("id = num + num ; NL Operator id");
        await Assert.That(tokens).DoesNotContain(t => t.Kind == TokenKind.Newline && t.Line == 1);
        await Assert.That(tokens[^2].Has(TokenFlags.StatementStart)).IsTrue(); // the '!' on line 3
    }

    [Test]
    [Arguments("system ls", "id arg")]
    [Arguments("format long", "id arg")]
    [Arguments("hold on, system ls", "id arg , id arg")]
    [Arguments("x = 1; system ls -la", "id = num ; id arg arg")]
    [Arguments("a -1", "id arg")]
    [Arguments("a - 1", "id - num")]
    [Arguments("a=1", "id = num")]
    [Arguments("a = 1", "id = num")]
    [Arguments("a (1)", "id ( num )")]
    [Arguments("a ==1", "id arg")]
    [Arguments("a == 1", "id == num")]
    [Arguments("a +=1", "id arg")]
    [Arguments("a 'x y' z", "id arg arg")]
    [Arguments("a x'y z' w", "id arg arg")]                  // quotes group inside a word
    [Arguments("a b(1, 2) c", "id arg arg")]                 // parentheses keep blanks and ',' inside the word
    [Arguments("pi +1", "id + num")]                         // pi, e, i, Inf, NaN are never commands
    [Arguments("if x disp y", "kw id id id")]               // only at a statement start
    [Arguments("if x, disp y, end", "kw id , id arg , kw")]
    [Arguments("try disp y, end", "kw id arg , kw")]
    [Arguments("disp a % comment", "id arg")]
    [Arguments("disp a%b, system ls", "id arg")]              // the comment starts mid-word
    public async Task CommandSyntax_FollowsOctavesRule(string code, string expected) =>
        await Assert.That(Kinds(code)).IsEqualTo(expected);

    [Test]
    public async Task CommandSyntax_ContinuationJoinsArguments()
    {
        var tokens = Lex("hit a ... comment\n b");

        await Assert.That(tokens.Select(t => t.Kind)).IsEquivalentTo([TokenKind.Identifier, TokenKind.CommandArgument, TokenKind.CommandArgument], CollectionOrdering.Matching);
        await Assert.That(tokens[0].Has(TokenFlags.CommandSyntax)).IsTrue();
        await Assert.That((tokens[2].Line, tokens[2].Column)).IsEqualTo((2, 2));
    }

    [Test]
    [Arguments("!ls", true)]
    [Arguments("x = 1, !ls", true)]
    [Arguments("x = 1; !ls", true)]
    [Arguments("if x, else !ls, end", true)]
    [Arguments("y = !x", false)]
    [Arguments("y = a != b", false)]
    public async Task Bang_AtStatementStart_IsMarked(string code, bool atStart)
    {
        var bang = Lex(code).First(t => code[t.Start] == '!');

        await Assert.That(bang.Has(TokenFlags.StatementStart) && bang.Length == 1).IsEqualTo(atStart);
    }

    [Test]
    public async Task Bang_InMatlab_IsAShellEscapeToTheEndOfTheLine() =>
        await Assert.That(Kinds("x = 1, !ls -la; rm -rf x\ny", MatlabDialect.Matlab)).IsEqualTo("id = num , shell NL id");

    [Test]
    [Arguments("1e-3", 1)]
    [Arguments("0x1F", 1)]
    [Arguments("0b101", 1)]
    [Arguments("1i", 1)]
    [Arguments("2.5e+10j", 1)]
    [Arguments(".5", 1)]
    [Arguments("1_000", 1)]
    [Arguments("0x1Fu8", 1)]
    public async Task Number_SingleToken(string code, int count)
    {
        var tokens = Lex(code);

        await Assert.That(tokens.Count).IsEqualTo(count);
        await Assert.That(tokens[0].Kind).IsEqualTo(TokenKind.Number);
        await Assert.That(tokens[0].Length).IsEqualTo(code.Length);
    }

    [Test]
    public async Task Number_DotOperatorsStaySeparate() => await Assert.That(Kinds("1.*x 1.'")).IsEqualTo("num .* id num T");

    [Test]
    public async Task HandlesAndFields_AreSeparateTokens()
    {
        await Assert.That(Kinds("f = @system; f('ls')")).IsEqualTo("id = @ id ; id ( chr )");
        await Assert.That(Kinds("@py.os.system")).IsEqualTo("@ id . id . id");
        await Assert.That(Kinds("obj.system(1)")).IsEqualTo("id . id ( num )");
    }

    [Test]
    public async Task Positions_AreOneBasedLinesAndColumns()
    {
        var tokens = Lex("x = 1;\r\n  y = 'ab';\n\tz");

        await Assert.That((tokens[0].Line, tokens[0].Column)).IsEqualTo((1, 1));
        var y = tokens.First(t => t.Start == 10);
        await Assert.That((y.Line, y.Column)).IsEqualTo((2, 3));
        await Assert.That((tokens.First(t => t.Kind == TokenKind.CharLiteral).Line, tokens.First(t => t.Kind == TokenKind.CharLiteral).Column)).IsEqualTo((2, 7));
        await Assert.That((tokens[^1].Line, tokens[^1].Column)).IsEqualTo((3, 2));
    }

    [Test]
    [Arguments("x = 'abc")]
    [Arguments("x = \"abc")]
    [Arguments("disp 'abc")]
    public async Task UnclosedQuote_IsFlagged(string code) =>
        await Assert.That(Lex(code)).Contains(t => t.Has(TokenFlags.Unterminated));

    [Test]
    public async Task DeepNesting_IsFlaggedNotThrown()
    {
        var code = new string('(', 200) + "1" + new string(')', 200);

        await Assert.That(Lex(code)).Contains(t => t.Has(TokenFlags.TooDeep));
    }

    [Test]
    public async Task RandomInput_NeverThrows_AndCoversTheText()
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
                var tokens = Tokenize(code, new LexerOptions(dialect));
                var end = 0;
                foreach (var t in tokens)
                {
                    await Assert.That(t.Start >= end && t.End <= code.Length).IsTrue().Because($"token out of order in run {run}");
                    await Assert.That(t.Line >= 1 && t.Column >= 1).IsTrue();
                    end = t.End;
                }
            }
        }
    }
}
