using System.Collections.Frozen;

namespace MatlabMcp.Security.Rules;

/// <summary>
/// Functions in code_policy.confined_functions whose literal path argument is absolute or climbs with '..' could
/// leave the session folder. The engine confines <see cref="RunTimeConfined"/> itself when they run (its shadows
/// resolve the real target, symlinks included), so those are not judged by their text: cd .. inside the session
/// folder is fine, and a computed path is caught as well. The rule remains for functions an operator lists that
/// have no such shadow (e.g. save).
/// </summary>
internal sealed class PathRule : IPolicyRule
{
    /// <summary>Shadowed in matlab/shadow/: their path arguments are confined at run time, whatever the policy says.</summary>
    public static readonly FrozenSet<string> RunTimeConfined = FrozenSet.Create(StringComparer.Ordinal,
        "cd", "chdir", "delete", "unlink", "rmdir", "mkdir", "movefile", "rename", "copyfile");

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> RunTimeConfinedLookup =
        RunTimeConfined.GetAlternateLookup<ReadOnlySpan<char>>();

    public void Check(PolicyContext context)
    {
        var confined = context.Policy.ConfinedLookup;
        for (var i = 0; i < context.Count; i++)
        {
            if (!context.IsFreeName(i) || !confined.Contains(context.Text(context[i])) || RunTimeConfinedLookup.Contains(context.Text(context[i])))
                continue;
            var name = context.Text(context[i]).ToString();
            foreach (var argument in Arguments.Of(context, i) ?? [])
                CheckArgument(context, name, argument);
        }
    }

    private static void CheckArgument(PolicyContext context, string name, Argument argument)
    {
        // The path's start decides whether it is absolute: the argument itself, or the first piece of [...] or fullfile(...).
        var head = argument.First;
        if (context.Is(head, TokenKind.OpenBracket))
            head++;
        else if (context.Is(head, TokenKind.Identifier) && context.Text(context[head]) is "fullfile" && context.Is(head + 1, TokenKind.OpenParen))
            head += 2;
        for (var i = argument.First; i < argument.End; i++)
        {
            var token = context[i];
            if (!token.IsLiteral && token.Kind != TokenKind.CommandArgument)
                continue;
            var path = context.Value(token);
            if (i == head && IsAbsolute(path))
                context.Report(PolicyNames.PathConfinement, name, token,
                    $"{name} with the absolute path '{Shorten(path)}' reaches outside the session folder: use a path relative " +
                    "to the session folder, e.g. 'results/data.mat'");
            else if (ClimbsUp(path))
                context.Report(PolicyNames.PathConfinement, name, token,
                    $"{name} with '{Shorten(path)}' uses '..', which can leave the session folder: name files and subfolders " +
                    "of the session folder without '..'");
        }
    }

    private static bool IsAbsolute(string path)
    {
        var p = path.TrimStart();
        return p.StartsWith('/') || p.StartsWith('\\') || p.StartsWith('~')
            || (p.Length >= 2 && char.IsAsciiLetter(p[0]) && p[1] == ':');
    }

    private static bool ClimbsUp(string path) =>
        path.Split('/', '\\').Any(segment => segment.Trim() == "..");

    private static string Shorten(string path) => path.Length <= 60 ? path : path[..57] + "...";
}
