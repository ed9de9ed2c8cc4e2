function varargout = movefile(varargin)
% MOVEFILE  Shadowed by MatlabMcp: moves files only within the session folder (mcp:confined otherwise).
  if nargin >= 1
    mcp_confine('movefile', varargin{1}, true);
  end
  if nargin >= 2
    mcp_confine('movefile', varargin{2});
  end
  if exist('OCTAVE_VERSION', 'builtin') ~= 0
    original = mcp_original('movefile');
    [varargout{1:nargout}] = original(varargin{:});
  else
    [varargout{1:nargout}] = builtin('movefile', varargin{:});
  end
end
