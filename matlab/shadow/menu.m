function varargout = menu(varargin) %#ok<STOUT>
% MENU  Shadowed by MatlabMcp: a menu needs a person to pick an entry.
  error('mcp:interactive', 'menu() waits for a person to choose, and this engine has none. Choose in code instead.');
end
