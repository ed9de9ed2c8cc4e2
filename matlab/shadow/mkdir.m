function varargout = mkdir(varargin)
% MKDIR  Shadowed by MatlabMcp: makes folders only inside the session folder (mcp:confined otherwise).
%   mkdir(folder) and mkdir(parent, folder) behave as usual there.
  if nargin == 1
    mcp_confine('mkdir', varargin{1});
  elseif nargin >= 2
    mcp_confine('mkdir', fullfile(char(varargin{1}), char(varargin{2})));
  end
  if exist('OCTAVE_VERSION', 'builtin') ~= 0
    original = mcp_original('mkdir');
    [varargout{1:nargout}] = original(varargin{:});
  else
    [varargout{1:nargout}] = builtin('mkdir', varargin{:});
  end
end
