function varargout = unlink(file)
% UNLINK  Shadowed by MatlabMcp: removes files only inside the session folder (mcp:confined otherwise).
  mcp_confine('unlink', file, true);
  [varargout{1:nargout}] = builtin('unlink', file);
end
