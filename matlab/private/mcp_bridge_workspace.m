function variables = mcp_bridge_workspace(maxVariables)
% MCP_BRIDGE_WORKSPACE  Name, class, size and bytes of base-workspace variables (never their data).
%   Octave binds the caller's ans to whatever a function called through evalin with an output returns, so there
%   the listing goes through a scratch variable of the base workspace, removed at once; builtin, so a variable
%   named whos cannot stand in for it.
  if exist('OCTAVE_VERSION', 'builtin') ~= 0
    evalin('base', '__mcp_whos__ = builtin(''whos'');');
    info = evalin('base', '__mcp_whos__');
    evalin('base', 'clear(''__mcp_whos__'');');
  else
    info = evalin('base', 'whos');
  end
  variables = mcp_bridge_listing(info, maxVariables);
end
