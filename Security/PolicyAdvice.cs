namespace MatlabMcp.Security;

/// <summary>What to do instead, per blocked entry: the half of a rejection that lets the agent move on.</summary>
internal static class PolicyAdvice
{
    public static string For(string entry)
    {
        var root = entry.Split('.', ' ')[0];
        return root switch
        {
            "system" or "unix" or "dos" or "!" or "popen" or "popen2" or "fork" or "exec" or "perl" or "python" or "winopen"
                => "this server does not run shell commands or other programs. Use built-in functions instead: dir, exist, " +
                   "mkdir, copyfile, movefile, delete, fileread, fprintf",
            "str2func"
                => "pass a handle (@sin or @(x) x.^2), or give str2func a literal, e.g. str2func('sin')",
            "assignin"
                => "assign directly (z = 3), or give assignin a literal context and name, e.g. assignin('base', 'z', 3)",
            "eval" or "evalc" or "evalin" or "builtin" or "inline"
                => "code built from text is not allowed. Write the statements directly, call functions by name (f(x)), " +
                   "and pass functions as handles (@sin or @(x) x.^2)",
            "run" or "source"
                => "call a script by its name (analysis), or run('analysis.m') with a literal relative path " +
                   "(a test suite object runs with its method: suite.run())",
            "setenv" or "putenv" or "unsetenv"
                => "environment variables cannot be changed. Keep settings in ordinary variables",
            "kill"
                => "other processes cannot be signalled",
            "munlock"
                => "the engine's own functions stay loaded. Your functions need no unlocking unless your code called mlock",
            "loadlibrary" or "calllib" or "mex" or "mkoctfile" or "autoload"
                => "native code cannot be compiled or loaded. Use MATLAB/Octave functions",
            "EDITOR" or "PAGER" or "PAGER_FLAGS" or "gnuplot_binary" or "makeinfo_program" or "info_program" or "EXEC_PATH"
                => "the programs the engine starts cannot be changed",
            "edit"
                => "there is no editor here. Write files with fopen/fprintf/fclose, or send the code directly",
            "web" or "webread" or "webwrite" or "websave" or "urlread" or "urlwrite" or "ftp" or "sftp" or "sendmail"
                or "tcpclient" or "tcpserver" or "tcpip" or "udp" or "udpport" or "matlab"
                => "the engine has no network access. Upload data files to the session folder and read them from there",
            "py" or "pyrun" or "pyrunfile" or "pyenv" or "java" or "javax" or "javaObject" or "javaMethod" or "javaArray"
                or "java_get" or "java_set" or "javaaddpath" or "com" or "org" or "NET" or "System" or "clib"
                or "actxserver" or "actxcontrol" or "actxGetRunningServer"
                => "calls into Python, Java, .NET, COM or C++ are not allowed. Use MATLAB/Octave functions",
            "pkg"
                => "packages cannot be installed from code. Ask the server's operator to install it; then use pkg load NAME",
            _ => "it is on this server's blocked list (code_policy.blocked_functions). Use another function",
        };
    }
}
