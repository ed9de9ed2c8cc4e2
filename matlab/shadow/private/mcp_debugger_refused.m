function mcp_debugger_refused(what)
% MCP_DEBUGGER_REFUSED  Raise the error every debugger entry point of a MatlabMcp engine gives.
%   A debug prompt (debug> or K>>) waits for a person to type, and an engine has none: one left
%   there hangs the session until its time limit. So the debugger is refused before it can start.
  error('mcp:debugger', ['%s is not available: MatlabMcp engines have no debugger, because a debug prompt ' ...
        'would wait for input that never comes. To inspect a problem, print values (disp, fprintf) or catch ' ...
        'the error: try ... catch err, disp(err.message), disp(err.stack(1)), end'], what);
end
