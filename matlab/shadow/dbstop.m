function varargout = dbstop(varargin) %#ok<STOUT>
% DBSTOP  Shadowed by MatlabMcp: the engine has no debugger (see mcp_debugger_refused).
  mcp_debugger_refused('dbstop');
end
