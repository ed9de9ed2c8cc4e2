using System.Buffers;
using System.Collections.Frozen;

namespace MatlabMcp.Security.Rules;

/// <summary>
/// Octave 7 implements these in .m files that paste their arguments into a shell command line: copyfile.m and
/// movefile.m wrap names in double quotes, zip.m in single quotes, unpack.m in double quotes, tar.m in none. A
/// literal name with a quote, $( ), a backtick or ';' therefore runs a command (verified against Octave 7.3), so
/// such literals are refused. MATLAB implements them natively, so the rule is Octave's only.
/// </summary>
internal sealed class ShellArgumentRule : IPolicyRule
{
    private static readonly FrozenSet<string> ShellBacked = FrozenSet.Create(StringComparer.Ordinal,
        "copyfile", "movefile", "tar", "untar", "zip", "unzip", "gzip", "gunzip", "bzip2", "bunzip2", "unpack");
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> ShellBackedLookup =
        ShellBacked.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly SearchValues<char> Shell = SearchValues.Create("\"'`$;|&<>\\\r\n");

    public void Check(PolicyContext context)
    {
        if (context.Policy.Dialect != MatlabDialect.Octave)
            return;
        for (var i = 0; i < context.Count; i++)
        {
            if (!context.IsFreeName(i) || !ShellBackedLookup.Contains(context.Text(context[i])))
                continue;
            var name = context.Text(context[i]).ToString();
            // tar.m does not quote at all: blanks split words and a leading '-' becomes an option (--to-command=...).
            var unquoted = name is "tar";
            foreach (var argument in Arguments.Of(context, i) ?? [])
            {
                for (var k = argument.First; k < argument.End; k++)
                {
                    var token = context[k];
                    if (!token.IsLiteral && token.Kind != TokenKind.CommandArgument)
                        continue;
                    var value = context.Value(token);
                    var bad = value.AsSpan().IndexOfAny(Shell);
                    if (bad < 0 && unquoted)
                        bad = value.StartsWith('-') ? 0 : value.AsSpan().IndexOfAny(' ', '\t');
                    if (bad >= 0)
                        context.Report(PolicyNames.ShellArgument, name, token,
                            $"{name} hands file names to a shell in Octave, so the character '{value[bad]}' in '{Shorten(value)}' " +
                            "could run a command: use names made of letters, digits, '.', '_', '-' and '/'");
                }
            }
        }
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
