function varargout = kbhit(varargin) %#ok<STOUT>
% KBHIT  Shadowed by MatlabMcp: there is no keyboard attached to this engine.
  error('mcp:interactive', 'kbhit() reads a keyboard, and this engine has none.');
end
