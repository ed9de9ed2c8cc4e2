using MatlabMcp.Output.Discovery;

namespace MatlabMcp.Tests.Discovery;

/// <summary>Octave's Texinfo docstrings as plain text (get_help converts them itself instead of running makeinfo).</summary>
public sealed class TexinfoTests
{
    private const string Docstring = """
        -*- texinfo -*-
        @deftypefn  {} {} demo (@var{x})
        @deftypefnx {} {[@var{y}, @var{k}] =} demo (@var{x}, @qcode{"fast"})
        Scale @var{x} by @code{@var{k} + 1} for @email{me@@example.org}@dots{}

        @tex
        $$ y = k x $$
        @end tex
        @ifnottex
        y = k*x
        @end ifnottex

        @example
        @group
        demo (2)
           @result{} 4
        @end group
        @end example

        @itemize @bullet
        @item
        first point
        @item second point
        @end itemize

        @cindex scaling
        @seealso{cumsum, @ref{Basic Usage}}
        @end deftypefn
        """;

    [Test]
    public async Task Docstring_BecomesPlainText()
    {
        var text = Texinfo.ToText(Docstring);

        await Assert.That(text).StartsWith(" -- demo (X)\n -- [Y, K] = demo (X, \"fast\")\n");
        await Assert.That(text).Contains("Scale X by 'K + 1' for me@example.org...");
        await Assert.That(text).DoesNotContain("$$").Because("typeset math is for the printed manual");
        await Assert.That(text).Contains("y = k*x");
        await Assert.That(text).Contains("     demo (2)\n       => 4").Because("examples are indented, results marked");
        await Assert.That(text).Contains("  * first point\n  * second point");
        await Assert.That(text).EndsWith("See also: cumsum, see Basic Usage.");
        await Assert.That(text.Replace("me@example.org", "", StringComparison.Ordinal)).DoesNotContain("@").Because("no markup is left: " + text);
    }

    [Test]
    public async Task UnknownMarkup_KeepsItsText()
    {
        await Assert.That(Texinfo.ToText("@deftypefn {} {} f ()\nUses @acronym{FFT} and @w{no break}.\n@end deftypefn"))
            .IsEqualTo(" -- f ()\nUses FFT and no break.");
    }
}
