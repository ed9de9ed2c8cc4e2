function varargout = dbquit(varargin) %#ok<STOUT>
% DBQUIT  Shadowed by MatlabMcp: the engine has no debugger (see mcp_debugger_refused).
  mcp_debugger_refused('dbquit');
end
