function varargout = copyfile(varargin)
% COPYFILE  Shadowed by MatlabMcp: copies files only within the session folder (mcp:confined otherwise).
  for k = 1:min(nargin, 2)
    mcp_confine('copyfile', varargin{k});
  end
  if exist('OCTAVE_VERSION', 'builtin') ~= 0
    original = mcp_original('copyfile');
    [varargout{1:nargout}] = original(varargin{:});
  else
    [varargout{1:nargout}] = builtin('copyfile', varargin{:});
  end
end
