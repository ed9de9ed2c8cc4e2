function varargout = dbcont(varargin) %#ok<STOUT>
% DBCONT  Shadowed by MatlabMcp: the engine has no debugger (see mcp_debugger_refused).
  mcp_debugger_refused('dbcont');
end
