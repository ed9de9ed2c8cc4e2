function keyboard(varargin)
% KEYBOARD  Shadowed by MatlabMcp: an interactive debug prompt would block this engine forever.
  error('mcp:interactive', ['keyboard() opens an interactive prompt, and this engine has no one to answer it. ' ...
        'Print the values you want to inspect instead.']);
end
