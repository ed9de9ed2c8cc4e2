function varargout = rename(varargin)
% RENAME  Shadowed by MatlabMcp: renames files only within the session folder (mcp:confined otherwise).
  if nargin >= 1
    mcp_confine('rename', varargin{1}, true);
  end
  if nargin >= 2
    mcp_confine('rename', varargin{2});
  end
  [varargout{1:nargout}] = builtin('rename', varargin{:});
end
