function varargout = debug_on_warning(varargin)
% DEBUG_ON_WARNING  Shadowed by MatlabMcp: it may be read or switched off, never switched on.
%   Switched on, it stops the engine at a debug prompt that nobody can answer.
  if nargin > 0
    value = varargin{1};
    if ~(isnumeric(value) || islogical(value)) || any(value(:))
      mcp_debugger_refused('debug_on_warning(true)');
    end
  end
  if nargin == 0 || nargout > 0
    [varargout{1:max(nargout, 1)}] = builtin('debug_on_warning', varargin{:});
  else
    builtin('debug_on_warning', varargin{:});
  end
end
