function varargout = dbnext(varargin) %#ok<STOUT>
% DBNEXT  Shadowed by MatlabMcp: the engine has no debugger (see mcp_debugger_refused).
  mcp_debugger_refused('dbnext');
end
