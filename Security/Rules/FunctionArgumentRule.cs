using System.Collections.Frozen;

namespace MatlabMcp.Security.Rules;

/// <summary>
/// Functions that take another function's name, or code, as text: feval('sin', 1), cellfun('isempty', c),
/// str2func('@(x) x+1'), ode45('f', ...). A literal is checked as code, so feval('system', 'ls') and
/// cellfun('system', {'ls'}) are refused while feval('sin', 1) passes; a literal naming a function that itself calls
/// functions by name (cellfun('feval', {name})) is refused, since the name it gets is data. A value computed at run
/// time cannot be checked: feval and the code-taking functions refuse any non-literal, the others refuse all but a
/// handle or a variable that <see cref="VariableFlow"/> proves holds one, since ['sys' 'tem'] is exactly how a name
/// gets hidden.
/// </summary>
internal sealed class FunctionArgumentRule : IPolicyRule
{
    private enum Takes { FunctionName, Code, NumberText }

    /// <summary>Which arguments (1-based) hold a function or code, and whether a variable there is refused too.</summary>
    private sealed record Spec(int[] Positions, Takes Takes, bool RefusesVariables);

    private static readonly FrozenDictionary<string, Spec> Specs = Build();
    private static readonly FrozenDictionary<string, Spec>.AlternateLookup<ReadOnlySpan<char>> SpecLookup =
        Specs.GetAlternateLookup<ReadOnlySpan<char>>();

    private static FrozenDictionary<string, Spec> Build()
    {
        var specs = new Dictionary<string, Spec>(StringComparer.Ordinal)
        {
            ["feval"] = new([1], Takes.FunctionName, true),
            ["builtin"] = new([1], Takes.FunctionName, true),
            ["str2func"] = new([1], Takes.Code, true),
            ["eval"] = new([1, 2], Takes.Code, true),
            ["evalc"] = new([1, 2], Takes.Code, true),
            ["evalin"] = new([2, 3], Takes.Code, true),
            ["inline"] = new([1], Takes.Code, true),
            ["fail"] = new([1], Takes.Code, true), // Octave's fail(code, pattern) evaluates its code: test files use it
            ["speed"] = new([1, 2, 4], Takes.Code, true), // Octave's speed(f, init, max_n, f2) evaluates f, init and f2
            ["str2num"] = new([1], Takes.NumberText, true),
            ["accumarray"] = new([4], Takes.FunctionName, false),
            ["nlinfit"] = new([3], Takes.FunctionName, false),
            ["sqp"] = new([2], Takes.FunctionName, false),
            ["addlistener"] = new([3], Takes.FunctionName, false),
            ["listener"] = new([3], Takes.FunctionName, false),
            ["parfeval"] = new([2], Takes.FunctionName, false),
            ["parfevalOnAll"] = new([2], Takes.FunctionName, false),
            ["createTask"] = new([2], Takes.FunctionName, false),
        };
        string[] firstArgument =
        [
            "cellfun", "arrayfun", "structfun", "bsxfun", "spfun", "pagefun", "splitapply", "varfun", "rowfun", "onCleanup",
            "batch", "ode23", "ode45", "ode113", "ode15s", "ode15i", "ode23s", "ode23t", "ode23tb", "ode78", "ode89",
            "fzero", "fminsearch", "fminbnd", "fminunc", "fmincon", "fsolve", "lsqnonlin", "lsqcurvefit", "fgoalattain",
            "fminimax", "fseminf", "patternsearch", "ga", "particleswarm", "simulannealbnd", "integral", "integral2",
            "integral3", "quad", "quadgk", "quadl", "quadv", "quadcc", "quad2d", "dblquad", "triplequad", "fplot", "ezplot",
            "ezplot3", "ezpolar", "ezcontour", "ezcontourf", "ezmesh", "ezmeshc", "ezsurf", "ezsurfc", "fimplicit",
            "fsurf", "fmesh", "fcontour",
        ];
        foreach (var name in firstArgument)
            specs[name] = new([1], Takes.FunctionName, false);
        return specs.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>
    /// Functions that call a function named by their data: every function listed here (cellfun calls the name it is
    /// given), and run, source and assignin. A handle to one (@feval) or its name passed as a function lets data
    /// choose what runs.
    /// </summary>
    public static bool IsDispatcher(ReadOnlySpan<char> name) =>
        SpecLookup.ContainsKey(name) || name is "run" or "source" or "assignin";

    public void Check(PolicyContext context)
    {
        for (var i = 0; i < context.Count; i++)
        {
            if (!context.IsFreeName(i) || !SpecLookup.TryGetValue(context.Text(context[i]), out var spec))
                continue;
            var arguments = Arguments.Of(context, i);
            if (arguments is null)
                continue;
            var name = context.Text(context[i]).ToString();
            foreach (var position in spec.Positions)
            {
                if (position > arguments.Count)
                    continue;
                var argument = arguments[position - 1];
                var shape = Arguments.Shape(context, argument);
                if (shape == ArgumentShape.Literal && Arguments.TryGetLiteral(context, argument, out var literal, out var value))
                {
                    var named = value.Trim();
                    if (spec.Takes != Takes.NumberText && IsDispatcher(named) && !context.Policy.Blocked.IsAllowed(named)
                        && !context.Policy.Blocked.IsBlocked(named))
                        context.Report(PolicyNames.DynamicCode, named, literal, DispatcherRefusal($"'{named}'", named, name));
                    else
                        context.InspectString(value, literal, $"the text passed to {name}");
                }
                else if (shape is ArgumentShape.Cell or ArgumentShape.Computed || (shape == ArgumentShape.Name && spec.RefusesVariables))
                {
                    if (!context.Policy.Blocked.IsAllowed(name))
                        context.Report(PolicyNames.DynamicCode, name, context[argument.First], Refusal(name, spec.Takes));
                }
                else if (shape == ArgumentShape.Name && !context.Flow.HoldsHandle(argument) && !context.Policy.Blocked.IsAllowed(name))
                {
                    var variable = context.Text(context[argument.First]).ToString();
                    context.Report(PolicyNames.DynamicCode, name, context[argument.First],
                        $"the function passed to {name} is in the variable {variable}, and this code does not assign it a " +
                        $"function handle, so a name from data could run: pass a handle such as @sin, assign one in this code " +
                        $"({variable} = @sin), or wrap the variable as @(x) {variable}(x), which can only call a handle");
                }
            }
        }
    }

    /// <summary>Why a dispatcher (as a handle or as a name passed as a function) is refused.</summary>
    public static string DispatcherRefusal(string written, string dispatcher, string? receiver) =>
        $"{written} {(receiver is null ? "is a handle to" : $"passed to {receiver} names")} {dispatcher}, which calls whatever " +
        "function its data names, so data would decide what runs: pass a handle to the function you mean, e.g. @sin, or " +
        "an anonymous function such as @(x) sin(x)";

    private static string Refusal(string name, Takes takes) => takes switch
    {
        Takes.Code => $"{name} is given code that is only known at run time, so it cannot be checked: write the statements directly",
        Takes.NumberText => $"{name} runs its text as code, and this text is only known at run time: use str2double to turn text into numbers",
        _ when name is "feval" or "builtin" => $"{name} is given a function name that is only known at run time, so it cannot be " +
            "checked: call the function directly (sin(x) instead of feval(name, x)) or pass a handle (@sin)",
        _ => $"the function passed to {name} is computed at run time, so it cannot be checked: pass a function handle such as " +
            "@sin or @(x) x.^2, or a variable this code assigned one to (f = @sin)",
    };
}
