namespace MatlabMcp.Security.Rules;

/// <summary>
/// Blocked functions with a harmless literal form, which passes the way feval('sin', 1) does:
/// <c>str2func('cos')</c> (the literal is then checked as code by <see cref="FunctionArgumentRule"/>),
/// <c>run('script.m')</c> (a relative .m path is calling the script by name; the engine confines where run may cd),
/// <c>assignin('base', 'z', 3)</c> (a literal context and variable name; the value is ordinary code, checked as such).
/// Any other form is refused with the reason that applies to it, not a generic one.
/// </summary>
internal static class LiteralForms
{
    public static bool Applies(ReadOnlySpan<char> name) => name is "str2func" or "run" or "assignin";

    /// <summary>Null when the call at <paramref name="i"/> has the literal form; otherwise why it is refused and what to write.</summary>
    public static string? Refusal(PolicyContext context, int i, string name)
    {
        var arguments = Arguments.Of(context, i);
        switch (name)
        {
            case "str2func":
                if (arguments is { Count: 1 or 2 } && arguments.All(a => Arguments.Shape(context, a) == ArgumentShape.Literal))
                    return null;
                return "str2func is given text that is only known at run time, so the function it makes cannot be checked: " +
                    "pass a handle (@sin or @(x) x.^2), or str2func with a literal, e.g. str2func('sin')";
            case "run":
                if (arguments is { Count: 1 } && Arguments.TryGetLiteral(context, arguments[0], out _, out var path) && IsScriptPath(path.Trim()))
                    return null;
                return "run takes a script only as a literal relative path to a .m file, e.g. run('analysis.m') or " +
                    "run('scripts/step1.m'), or call the script by its name (analysis)";
            case "assignin":
                if (arguments is { Count: 3 } && IsAssigninTarget(context, arguments, out _))
                    return null;
                return "assignin takes a literal context ('base' or 'caller') and a literal variable name, e.g. " +
                    "assignin('base', 'z', 3); a name only known at run time could overwrite any variable. Or assign directly: z = 3";
            default:
                return "";
        }
    }

    /// <summary>assignin('base' | 'caller', 'validName', value): the variable it sets.</summary>
    public static bool IsAssigninTarget(PolicyContext context, List<Argument> arguments, out string variable)
    {
        variable = "";
        if (!Arguments.TryGetLiteral(context, arguments[0], out _, out var where) || where.Trim() is not ("base" or "caller")
            || !Arguments.TryGetLiteral(context, arguments[1], out _, out var name))
            return false;
        name = name.Trim();
        if (name.Length == 0 || !Syntax.IdentifierStart.Contains(name[0]) || name.AsSpan().ContainsAnyExcept(Syntax.IdentifierPart)
            || Syntax.IsKeyword(name, context.Policy.Dialect))
            return false;
        variable = name;
        return true;
    }

    /// <summary>A relative path to a .m file: absolute paths and home folders are not "the script by name".</summary>
    private static bool IsScriptPath(string path) =>
        path.EndsWith(".m", StringComparison.Ordinal) && path.Length > 2
        && !path.StartsWith('/') && !path.StartsWith('\\') && !path.StartsWith('~')
        && !(path.Length >= 2 && char.IsAsciiLetter(path[0]) && path[1] == ':')
        && path.AsSpan().IndexOfAny("*?'\"\r\n") < 0;
}
