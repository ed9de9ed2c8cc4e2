function varargout = dbup(varargin) %#ok<STOUT>
% DBUP  Shadowed by MatlabMcp: the engine has no debugger (see mcp_debugger_refused).
  mcp_debugger_refused('dbup');
end
