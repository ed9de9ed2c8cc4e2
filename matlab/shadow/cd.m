function varargout = cd(varargin)
% CD  Shadowed by MatlabMcp: changes folder only within the session folder.
%   cd with no folder goes to the session folder (Octave would go to HOME; MATLAB prints the folder, as before).
%   cd .. and absolute paths work while they stay inside; a target outside it, symlinks resolved, fails with
%   mcp:confined and the folder stays as it was. d = cd returns the current folder, as usual.
  if nargin == 0
    if nargout > 0 || exist('OCTAVE_VERSION', 'builtin') == 0
      [varargout{1:nargout}] = builtin('cd');
      return;
    end
    roots = mcp_session_roots();
    if isempty(roots)
      mcp_refuse('cd', '', 'unknown');
    end
    varargin = roots(1);
  end
  target = mcp_confine('cd', mcp_lexical(varargin{1}));
  [varargout{1:nargout}] = builtin('cd', target);
end
