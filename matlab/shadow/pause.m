function varargout = pause(varargin)
% PAUSE  Shadowed by MatlabMcp: pause without a duration waits for a key press that can never come.
%   pause(seconds) and pause('on'/'off'/'query') behave as usual.
  if nargin == 0 || (isnumeric(varargin{1}) && any(isinf(varargin{1}(:))))
    error('mcp:interactive', ['pause without a finite duration waits for a key press, and this engine has no keyboard. ' ...
          'Use pause(seconds).']);
  end
  [varargout{1:nargout}] = builtin('pause', varargin{:});
end
