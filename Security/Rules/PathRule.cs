namespace MatlabMcp.Security.Rules;

/// <summary>
/// cd, delete, rmdir, movefile ... (code_policy.confined_functions) with a literal path that is absolute or climbs
/// with '..' could leave the session folder. Paths computed at run time cannot be judged here; the sandbox confines them.
/// </summary>
internal sealed class PathRule : IPolicyRule
{
    public void Check(PolicyContext context)
    {
        var confined = context.Policy.ConfinedLookup;
        for (var i = 0; i < context.Count; i++)
        {
            if (!context.IsFreeName(i) || !confined.Contains(context.Text(context[i])))
                continue;
            var name = context.Text(context[i]).ToString();
            var arguments = Arguments.Of(context, i);
            if ((arguments is null || arguments.Count == 0) && name is "cd" or "chdir"
                && context.Policy.Dialect == MatlabDialect.Octave && !context.IsOperator(i + 1, "="))
            {
                context.Report(PolicyNames.PathConfinement, name, context[i],
                    $"{name} with no folder goes to the home folder in Octave, outside the session folder: use pwd to see where you are");
                continue;
            }
            foreach (var argument in arguments ?? [])
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
