function varargout = rmdir(varargin)
% RMDIR  Shadowed by MatlabMcp: removes folders only inside the session folder, never the folder itself.
  if nargin > 0
    mcp_confine('rmdir', varargin{1}, true);
  end
  [varargout{1:nargout}] = builtin('rmdir', varargin{:});
end
