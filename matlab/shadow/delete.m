function delete(varargin)
% DELETE  Shadowed by MatlabMcp: deletes files only inside the session folder (mcp:confined otherwise).
%   Wildcards are judged match by match; delete(handle) of graphics and other objects behaves as usual.
  for k = 1:nargin
    if ischar(varargin{k}) || isa(varargin{k}, 'string')
      mcp_confine('delete', varargin{k}, true);
    end
  end
  if exist('OCTAVE_VERSION', 'builtin') ~= 0
    original = mcp_original('delete');
    original(varargin{:});
  else
    builtin('delete', varargin{:});
  end
end
