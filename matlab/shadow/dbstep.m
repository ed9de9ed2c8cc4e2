function varargout = dbstep(varargin) %#ok<STOUT>
% DBSTEP  Shadowed by MatlabMcp: the engine has no debugger (see mcp_debugger_refused).
  mcp_debugger_refused('dbstep');
end
