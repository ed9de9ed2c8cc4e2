function varargout = dbdown(varargin) %#ok<STOUT>
% DBDOWN  Shadowed by MatlabMcp: the engine has no debugger (see mcp_debugger_refused).
  mcp_debugger_refused('dbdown');
end
