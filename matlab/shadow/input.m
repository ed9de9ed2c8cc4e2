function varargout = input(varargin) %#ok<STOUT>
% INPUT  Shadowed by MatlabMcp: nobody can type an answer into this engine.
  error('mcp:interactive', ['input() waits for a person at a keyboard, and this engine has none. ' ...
        'Set the value in code instead (e.g. answer = 3;).']);
end
